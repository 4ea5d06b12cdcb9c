// i18n.js: the page's words in Simplified Chinese (default, lang/zh.js) and
// English (lang/en.js), and the formats of mainland China for amounts,
// dates and times.

import { zh } from './lang/zh.js';
import { en } from './lang/en.js';

// API argument names, as a person reads them.
const fields = {
  zh: { title: '标题', category: '类别', budget: '预算', price: '报价', capacity: '可服务社区数',
    beneficiaries: '受益人数', description: '说明', window: '实施期', partners: '联合申报社区',
    streets: '服务街道', partner: '合作机构', name: '名称', date: '日期', street: '街道',
    start: '开始时间', tables: '洽谈桌数', slots: '时段数', slot_minutes: '每段分钟数',
    algorithm: '匹配算法', meetings_per_need: '每个需求洽谈次数', fair: '对接会', match: '匹配',
    decision: '决定', id: '编号', ref: '提交编号', token: '访问令牌',
    rank: '排名', progress: '进度', communities: '社区数', needs_posted: '发布需求', needs_matched: '已匹配需求',
    offers_active: '在用项目', confirmed_amount: '已确认金额', cap_total: '额度合计', cap_used_pct: '额度使用率',
    fairs_held: '已办对接会', kind: '类型', community: '社区', org: '社会组织', needs: '需求', offers: '项目',
    detail: '详情', year: '年度', cap: '额度', cap_left: '剩余额度', open_needs: '待匹配需求',
    open_amount: '待匹配金额', share: '占比', late_needs: '年末需求', late_share: '年末占比', late_from: '年末起始',
    amount: '金额', matches: '匹配数', need: '需求', offer: '项目', duplicate_of: '疑似重复于',
    duplicate_of_title: '疑似重复的标题', similarity: '相似度', duplicate_similarity: '重复阈值', month: '月份',
    since: '起始日期', op: '操作', code: '编号', lang: '语言' },
  en: { title: 'Title', category: 'Category', budget: 'Budget', price: 'Price', capacity: 'Capacity',
    beneficiaries: 'Beneficiaries', description: 'Description', window: 'Period', partners: 'Partner communities',
    streets: 'Streets served', partner: 'Partner organisation', name: 'Name', date: 'Date', street: 'Street',
    start: 'Starts at', tables: 'Tables', slots: 'Time slots', slot_minutes: 'Minutes per slot',
    algorithm: 'Algorithm', meetings_per_need: 'Meetings per need', fair: 'Fair', match: 'Match',
    decision: 'Decision', id: 'Id', ref: 'Reference', token: 'Access token',
    rank: 'Rank', progress: 'Progress', communities: 'Communities', needs_posted: 'Needs posted',
    needs_matched: 'Needs matched', offers_active: 'Active offers', confirmed_amount: 'Confirmed amount',
    cap_total: 'Caps total', cap_used_pct: 'Cap used', fairs_held: 'Fairs held', kind: 'Kind',
    community: 'Community', org: 'Organisation', needs: 'Needs', offers: 'Offers', detail: 'Detail', year: 'Year',
    cap: 'Cap', cap_left: 'Cap left', open_needs: 'Open needs', open_amount: 'Open amount', share: 'Share',
    late_needs: 'Late needs', late_share: 'Late share', late_from: 'Late from', amount: 'Amount',
    matches: 'Matches', need: 'Need', offer: 'Offer', duplicate_of: 'Looks like', duplicate_of_title: 'Title it resembles',
    similarity: 'Similarity', duplicate_similarity: 'Threshold', month: 'Month', since: 'Since', op: 'Operation',
    code: 'Code', lang: 'Language' },
};

const dicts = { zh, en };
let lang = 'zh';
try {
  const saved = localStorage.getItem('matchd.lang');
  if (saved === 'en' || saved === 'zh') lang = saved;
} catch (e) { /* storage may be off */ }

export function getLang() { return lang; }
export function setLang(l) {
  lang = l === 'en' ? 'en' : 'zh';
  try { localStorage.setItem('matchd.lang', lang); } catch (e) { /* ignore */ }
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
}

export function t(key, vars) {
  let s = dicts[lang][key];
  if (s === undefined) s = zh[key] !== undefined ? zh[key] : key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (vars[k] !== undefined ? String(vars[k]) : m));
  return s;
}

export function fieldName(f) {
  if (!f) return '';
  const base = String(f).split(/[.[]/)[0];
  return fields[lang][base] || f;
}

// The taxonomy in use and the names of its categories come from the daemon
// (taxonomy.get: {families, names}; daemon/domain/names.c holds the names).
// A code without a name shows as the code.
let taxonomy = null;
let catNames = {};
export function setTaxonomy(tax) {
  taxonomy = ((tax && tax.families) || []).map((f) => ({ name: f.name, positive_list: !!f.positive_list, subs: (f.subs || []).slice() }));
  catNames = (tax && tax.names) || {};
}
export function hasTaxonomy() { return taxonomy !== null; }

function catPart(key, code) {
  const n = catNames[key];
  return n ? (lang === 'en' ? n.en : n.zh) || code : code;
}

export function categoryName(c) {
  if (!c) return '';
  const [fam, sub] = String(c).split('.');
  if (!catNames[fam]) return c;
  const fname = catPart(fam, fam);
  if (!sub) return fname;
  const sname = catPart(`${fam}.${sub}`, sub);
  return lang === 'en' ? `${fname} · ${sname}` : `${fname}·${sname}`;
}

// Families of the taxonomy in use, in its order: [{name, positive_list, subs}].
export function categoryTree() { return taxonomy || []; }

export function categoryList() {
  const out = [];
  for (const f of categoryTree()) for (const sub of f.subs) out.push(`${f.name}.${sub}`);
  return out;
}

export function categoryFamilies() { return categoryTree().map((f) => f.name); }

// Numbers and amounts: zh-CN grouping whatever the language, as read in China.
const numFmt = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 });
const yuanInt = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 0 });
const yuanFen = new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
// Whole yuan without decimals, else always two: 1,454,961.20.
const yuanFmt = { format: (x) => (Math.round(x * 100) % 100 === 0 ? yuanInt : yuanFen).format(x) };
export function num(x) { return x === null || x === undefined ? '' : numFmt.format(x); }
export function yuan(x) {
  if (x === null || x === undefined) return '';
  return lang === 'en' ? `¥${yuanFmt.format(x)}` : `${yuanFmt.format(x)} 元`;
}
export function score(x) {
  return x === null || x === undefined ? '' :
    new Intl.NumberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x);
}
// A share 0-1 as a percentage; a percentage as itself.
export const pct = (x) => (x === null || x === undefined ? '' : num(Math.round(x * 10000) / 100) + '%');
export const pct100 = (x) => (x === null || x === undefined ? '' : num(Math.round(x * 100) / 100) + '%');

const WEEK_ZH = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];
const WEEK_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
// A calendar date YYYY-MM-DD: 2026年12月5日（星期六）, as written in mainland China.
export function date(d) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d || '');
  if (!m) return d || '';
  const wd = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).getUTCDay();
  if (lang === 'en') return `${d} (${WEEK_EN[wd]})`;
  return `${+m[1]}年${+m[2]}月${+m[3]}日（${WEEK_ZH[wd]}）`;
}
// A timestamp in UTC shown in Beijing time, 24-hour: 2026-11-28 14:09.
export function dateTime(ts) {
  const d = new Date(ts);
  if (isNaN(d)) return ts || '';
  const p = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit',
    day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).formatToParts(d);
  const g = (ty) => (p.find((x) => x.type === ty) || {}).value;
  return `${g('year')}-${g('month')}-${g('day')} ${g('hour')}:${g('minute')}`;
}

// i18n.js: the page's words in Simplified Chinese (default) and English,
// and the formats of mainland China for amounts, dates and times.

const zh = {
  app: '民生微实事对接平台',
  skip: '跳到正文',
  nav_label: '主导航',
  lang_other: 'English',
  lang_other_code: 'en',
  signout: '退出',
  loading: '正在加载…',
  empty: '暂无数据',
  retry: '重试',
  cancel: '取消',
  save: '保存',
  edit: '编辑',
  close: '关闭',
  confirm: '确认',
  yes: '是',
  no: '否',
  all: '全部',
  actions: '操作',
  optional: '选填',
  role_admin: '区级管理员',
  role_organizer: '对接会组织方',
  role_community: '社区',
  role_org: '社会组织',
  district: '全区',

  // sign-in
  signin_title: '登录',
  signin_intro: '请输入管理员发给您的访问令牌（64 位十六进制字符）。令牌只保存在本浏览器标签页中，关闭后需重新输入。',
  token: '访问令牌',
  token_hint: '演示环境的令牌在 var/demo.db.tokens 中（每行：角色、代码、令牌、名称、街道）。',
  signin: '登录',
  signing_in: '正在登录…',
  token_empty: '请先填写访问令牌。',
  token_bad: '这个令牌无效：可能输错、复制不完整，或已被更换。请核对后重新粘贴，或向管理员申请新令牌。',
  token_expired: '您的令牌已失效，请重新登录。',

  // nav
  nav_fairs: '对接会',
  nav_oversight: '统计与预警',
  nav_needs: '我的需求',
  nav_offers: '我的项目',
  nav_matches: '我的匹配',

  // fairs
  fairs_title: '对接会',
  fairs_none: '还没有对接会。用上面的表单创建第一场。',
  fair_create: '创建对接会',
  fair_name: '名称',
  fair_date: '日期',
  fair_street: '街道',
  fair_street_hint: '留空：组织方所在街道（区级组织方为全区）',
  fair_start: '开始时间',
  fair_tables: '洽谈桌数',
  fair_slots: '时段数',
  fair_slot_minutes: '每段分钟数',
  fair_status: '状态',
  fair_status_open: '进行中',
  fair_status_closed: '已关闭',
  fair_needs: '报名需求',
  fair_offers: '报名项目',
  fair_runs: '匹配次数',
  fair_created: '已创建对接会「{name}」。',
  fair_open: '查看',
  fair_layout: '{tables} 桌 × {slots} 段，每段 {min} 分钟',
  back_to_fairs: '← 全部对接会',

  // fair detail
  tab_overview: '概况',
  tab_matches: '匹配结果',
  tab_unmatched: '未匹配',
  tab_schedule: '洽谈日程',
  tab_chart: '社区额度',
  tab_runs: '比较匹配',
  enroll_all: '报名全部需求和项目',
  enrolled: '新报名 {needs} 个需求、{offers} 个项目。',
  algorithm: '匹配算法',
  alg_optimal: '最优（总分最高）',
  alg_greedy: '贪心（快速）',
  alg_stable: '稳定匹配',
  run_match: '运行匹配',
  running: '正在匹配…',
  run_done: '第 {run} 次匹配完成：{pairs} 对。',
  run_summary: '第 {run} 次匹配',
  pairs: '配对数',
  matched_needs: '已匹配需求',
  unmatched_needs: '未匹配需求',
  total_score: '总分',
  total_amount: '总金额',
  capped: '达到额度上限的社区',
  exact: '最优解',
  exact_yes: '已证明最优',
  exact_no: '近似解',
  none: '无',
  make_schedule: '生成洽谈日程',
  meetings_per_need: '每个需求洽谈次数',
  scheduled: '已排 {n} 场洽谈，用了 {slots} 个时段。',
  downloads: '下载',
  dl_csv: '匹配表 CSV',
  dl_xlsx: '匹配表 Excel',
  dl_agenda: '打印版议程',
  downloading: '正在下载…',
  close_fair: '关闭对接会',
  close_fair_q: '关闭后不能再报名或匹配。确定关闭「{name}」吗？',
  fair_closed: '对接会已关闭。',
  fair_is_closed: '本场对接会已关闭，只能查看和下载。',
  steps: '办会步骤：① 报名全部 → ② 运行匹配 → ③ 查看匹配结果 → ④ 生成日程 → ⑤ 下载并打印议程',

  // matches
  matches_none: '这次匹配没有配对。先报名需求和项目，再运行匹配。',
  matches_norun: '还没有运行匹配。',
  run_label: '匹配轮次',
  run_latest: '最新（第 {run} 次）',
  run_n: '第 {run} 次',
  filter_community: '社区',
  filter_org: '社会组织',
  filter_category: '类别',
  filter_status: '状态',
  filter_text: '搜索',
  filter_text_ph: '标题、社区或机构名称',
  shown_of: '显示 {shown} / {total} 条',
  col_community: '社区',
  col_need: '需求',
  col_org: '社会组织',
  col_offer: '项目',
  col_category: '类别',
  col_score: '得分',
  col_amount: '金额',
  col_status: '状态',
  col_budget: '预算',
  col_price: '报价',
  col_capacity: '可服务数',
  col_remaining: '剩余',
  col_fair: '对接会',
  col_time: '时间',
  col_table: '桌号',
  col_title: '标题',
  col_beneficiaries: '受益人数',
  sort_by: '按{col}排序',
  bd_category: '类别',
  bd_budget: '预算',
  bd_text: '文本',
  bd_library: '项目库',
  bd_locality: '属地',
  breakdown_of: '得分 {score}：类别 {category}，预算 {budget}，文本 {text}，项目库 {library}，属地 {locality}',
  st_proposed: '待确认',
  st_accepted_by_community: '社区已接受',
  st_accepted_by_org: '机构已接受',
  st_confirmed: '双方确认',
  st_declined: '已拒绝',
  accept: '接受',
  decline: '拒绝',
  responded: '已提交：{status}。',
  unmatched_needs_title: '未匹配的需求（{n}）',
  unmatched_offers_title: '未用完的项目（{n}）',

  // schedule
  schedule_none: '还没有洽谈日程。先运行匹配，再点「生成洽谈日程」。',
  schedule_slot: '时段',
  schedule_table: '{n} 号桌',
  schedule_matched: '匹配对',
  schedule_alt: '备选洽谈',
  unscheduled_title: '未能排入的洽谈（{n}）',
  slots_used: '已用时段 {used} / {slots}',

  // chart
  chart_title: '各社区本场匹配金额与年度额度',
  chart_note: '金额为本场最新一次匹配（不含已拒绝）的合计；额度为每个社区的年度上限（默认 2,000,000 元）。',
  chart_none: '还没有匹配金额。',
  chart_cap: '额度',
  chart_over: '已达上限',

  // runs
  runs_title: '比较各次匹配',
  runs_none: '还没有匹配。运行两次不同算法的匹配即可在此比较。',
  runs_alg: '算法',
  runs_avg: '平均分',
  runs_confirmed: '已确认',
  runs_same: '与最新一次相同的配对',
  runs_unknown: '—',
  best: '最佳',

  // oversight
  oversight_title: '统计与预警',
  stats_title: '各街道统计',
  risk_title: '风险提示',

  // needs / offers
  needs_title: '我的需求',
  offers_title: '我的项目',
  need_post: '发布需求',
  offer_post: '发布项目',
  need_edit: '修改需求',
  offer_edit: '修改项目',
  f_title: '标题',
  f_category: '类别',
  f_budget: '预算（元）',
  f_price: '报价（元）',
  f_capacity: '可服务社区数',
  f_beneficiaries: '受益人数',
  f_description: '说明',
  f_window_from: '实施开始日期',
  f_window_to: '实施结束日期',
  f_partners: '联合申报社区代码',
  f_partners_hint: '多个用逗号分隔',
  f_streets: '服务街道',
  f_streets_hint: '多个用逗号分隔；* 表示全区；留空沿用机构服务范围',
  f_partner: '合作机构代码',
  f_partner_hint: '备案类组织须填写一个登记类合作机构',
  choose: '请选择…',
  posted: '已发布「{title}」。',
  saved: '已保存。',
  withdraw: '撤回',
  withdraw_q: '撤回后不再参加匹配。确定撤回「{title}」吗？',
  withdrawn: '已撤回。',
  suggestions: '推荐',
  suggestions_title: '「{title}」的推荐',
  suggestions_none: '暂无合适的推荐。',
  needs_none: '还没有需求。用上面的表单发布第一个。',
  offers_none: '还没有项目。用上面的表单发布第一个。',
  ns_open: '待匹配',
  ns_matched: '已匹配',
  ns_withdrawn: '已撤回',
  os_open: '可对接',
  os_full: '已满',
  os_withdrawn: '已撤回',

  // my matches
  my_matches_title: '我的匹配',
  my_matches_none: '还没有与您相关的匹配。组织方运行匹配后会出现在这里。',
  my_meetings_title: '我的洽谈安排',
  my_meetings_none: '还没有洽谈安排。',
  counterpart: '对方',

  // errors
  err_title: '没有成功',
  err_field: '请检查「{field}」',
  err_parse_error: '请求格式有误。',
  err_bad_request: '请求不完整。',
  err_unknown_op: '服务器不支持这个操作，请升级服务器。',
  err_invalid_argument: '填写的内容不符合要求。',
  err_unauthenticated: '令牌无效或已失效。',
  err_forbidden: '您的账户没有权限做这件事。',
  err_not_found: '找不到这条记录，可能已被删除。',
  err_conflict: '当前状态不允许这样做。',
  err_too_large: '内容太多，请精简后再试。',
  err_rate_limited: '操作太频繁，请稍等几秒再试。',
  err_internal: '服务器出错了，请稍后再试；如仍失败请联系管理员。',
  err_unavailable: '服务器暂时无法保存（例如磁盘已满），什么都没有保存，请稍后再试。',
  err_network: '连不上服务器，请检查网络或服务器是否在运行，然后重试。',
  err_client: '请修改后再提交。',
  err_required: '「{field}」不能为空。',
  err_download: '下载失败。',
  server_says: '服务器说明：',
};

const en = {
  app: 'Community micro-projects matching',
  skip: 'Skip to content',
  nav_label: 'Main',
  lang_other: '中文',
  lang_other_code: 'zh-CN',
  signout: 'Sign out',
  loading: 'Loading…',
  empty: 'Nothing yet',
  retry: 'Retry',
  cancel: 'Cancel',
  save: 'Save',
  edit: 'Edit',
  close: 'Close',
  confirm: 'Confirm',
  yes: 'yes',
  no: 'no',
  all: 'All',
  actions: 'Actions',
  optional: 'optional',
  role_admin: 'District admin',
  role_organizer: 'Fair organizer',
  role_community: 'Community',
  role_org: 'Social organisation',
  district: 'Whole district',

  signin_title: 'Sign in',
  signin_intro: 'Enter the access token your administrator gave you (64 hex digits). It is kept in this browser tab only; after closing the tab you sign in again.',
  token: 'Access token',
  token_hint: 'Demo tokens are in var/demo.db.tokens (role, code, token, name, street per line).',
  signin: 'Sign in',
  signing_in: 'Signing in…',
  token_empty: 'Please enter your access token first.',
  token_bad: 'This token is not valid: it may be mistyped, cut short when copied, or replaced. Check it and paste it again, or ask your administrator for a new one.',
  token_expired: 'Your token is no longer valid; please sign in again.',

  nav_fairs: 'Fairs',
  nav_oversight: 'Statistics & flags',
  nav_needs: 'My needs',
  nav_offers: 'My offers',
  nav_matches: 'My matches',

  fairs_title: 'Fairs',
  fairs_none: 'No fairs yet. Create the first one with the form above.',
  fair_create: 'Create a fair',
  fair_name: 'Name',
  fair_date: 'Date',
  fair_street: 'Street',
  fair_street_hint: "Empty: the organizer's street (the whole district for a district organizer)",
  fair_start: 'Starts at',
  fair_tables: 'Tables',
  fair_slots: 'Time slots',
  fair_slot_minutes: 'Minutes per slot',
  fair_status: 'Status',
  fair_status_open: 'Open',
  fair_status_closed: 'Closed',
  fair_needs: 'Needs enrolled',
  fair_offers: 'Offers enrolled',
  fair_runs: 'Match runs',
  fair_created: 'Fair “{name}” created.',
  fair_open: 'Open',
  fair_layout: '{tables} tables × {slots} slots of {min} min',
  back_to_fairs: '← All fairs',

  tab_overview: 'Overview',
  tab_matches: 'Matches',
  tab_unmatched: 'Unmatched',
  tab_schedule: 'Schedule',
  tab_chart: 'Community caps',
  tab_runs: 'Compare runs',
  enroll_all: 'Enrol all needs and offers',
  enrolled: 'Newly enrolled: {needs} needs, {offers} offers.',
  algorithm: 'Algorithm',
  alg_optimal: 'Optimal (highest total score)',
  alg_greedy: 'Greedy (fast)',
  alg_stable: 'Stable matching',
  run_match: 'Run the match',
  running: 'Matching…',
  run_done: 'Run {run} done: {pairs} pairs.',
  run_summary: 'Run {run}',
  pairs: 'Pairs',
  matched_needs: 'Needs matched',
  unmatched_needs: 'Needs unmatched',
  total_score: 'Total score',
  total_amount: 'Total amount',
  capped: 'Communities at their cap',
  exact: 'Optimum',
  exact_yes: 'proven optimal',
  exact_no: 'approximate',
  none: 'none',
  make_schedule: 'Make the meeting schedule',
  meetings_per_need: 'Meetings per need',
  scheduled: '{n} meetings scheduled in {slots} slots.',
  downloads: 'Downloads',
  dl_csv: 'Matches CSV',
  dl_xlsx: 'Matches Excel',
  dl_agenda: 'Printable agenda',
  downloading: 'Downloading…',
  close_fair: 'Close the fair',
  close_fair_q: 'A closed fair takes no more enrolments or runs. Close “{name}”?',
  fair_closed: 'The fair is closed.',
  fair_is_closed: 'This fair is closed: you can look and download only.',
  steps: 'Running a fair: ① enrol all → ② run the match → ③ review the matches → ④ make the schedule → ⑤ download and print the agenda',

  matches_none: 'This run has no pairs. Enrol needs and offers, then run the match.',
  matches_norun: 'No match has been run yet.',
  run_label: 'Run',
  run_latest: 'Latest (run {run})',
  run_n: 'Run {run}',
  filter_community: 'Community',
  filter_org: 'Organisation',
  filter_category: 'Category',
  filter_status: 'Status',
  filter_text: 'Search',
  filter_text_ph: 'Title, community or organisation',
  shown_of: 'Showing {shown} of {total}',
  col_community: 'Community',
  col_need: 'Need',
  col_org: 'Organisation',
  col_offer: 'Offer',
  col_category: 'Category',
  col_score: 'Score',
  col_amount: 'Amount',
  col_status: 'Status',
  col_budget: 'Budget',
  col_price: 'Price',
  col_capacity: 'Capacity',
  col_remaining: 'Remaining',
  col_fair: 'Fair',
  col_time: 'Time',
  col_table: 'Table',
  col_title: 'Title',
  col_beneficiaries: 'Beneficiaries',
  sort_by: 'Sort by {col}',
  bd_category: 'Category',
  bd_budget: 'Budget',
  bd_text: 'Text',
  bd_library: 'Library',
  bd_locality: 'Locality',
  breakdown_of: 'Score {score}: category {category}, budget {budget}, text {text}, library {library}, locality {locality}',
  st_proposed: 'Proposed',
  st_accepted_by_community: 'Accepted by community',
  st_accepted_by_org: 'Accepted by organisation',
  st_confirmed: 'Confirmed',
  st_declined: 'Declined',
  accept: 'Accept',
  decline: 'Decline',
  responded: 'Sent: {status}.',
  unmatched_needs_title: 'Unmatched needs ({n})',
  unmatched_offers_title: 'Offers with room left ({n})',

  schedule_none: 'No schedule yet. Run the match, then “Make the meeting schedule”.',
  schedule_slot: 'Slot',
  schedule_table: 'Table {n}',
  schedule_matched: 'matched pair',
  schedule_alt: 'alternative meeting',
  unscheduled_title: 'Meetings that did not fit ({n})',
  slots_used: 'Slots used {used} / {slots}',

  chart_title: "Each community's matched amount at this fair against its yearly cap",
  chart_note: 'Amounts add up the latest run of this fair (declined pairs left out); the cap is the yearly limit per community (2,000,000 yuan by default).',
  chart_none: 'No matched amounts yet.',
  chart_cap: 'cap',
  chart_over: 'at cap',

  runs_title: 'Compare runs',
  runs_none: 'No runs yet. Run the match with two algorithms to compare them here.',
  runs_alg: 'Algorithm',
  runs_avg: 'Average score',
  runs_confirmed: 'Confirmed',
  runs_same: 'Pairs shared with the latest run',
  runs_unknown: '—',
  best: 'best',

  oversight_title: 'Statistics & flags',
  stats_title: 'Streets',
  risk_title: 'Risk flags',

  needs_title: 'My needs',
  offers_title: 'My offers',
  need_post: 'Post a need',
  offer_post: 'Post an offer',
  need_edit: 'Edit need',
  offer_edit: 'Edit offer',
  f_title: 'Title',
  f_category: 'Category',
  f_budget: 'Budget (yuan)',
  f_price: 'Price (yuan)',
  f_capacity: 'Communities it can serve',
  f_beneficiaries: 'Beneficiaries',
  f_description: 'Description',
  f_window_from: 'Runs from',
  f_window_to: 'Runs until',
  f_partners: 'Partner community codes',
  f_partners_hint: 'separate several with commas',
  f_streets: 'Streets served',
  f_streets_hint: "comma-separated; * = whole district; empty = the organisation's service area",
  f_partner: 'Partner organisation code',
  f_partner_hint: 'a filed organisation must name one registered partner',
  choose: 'Choose…',
  posted: '“{title}” posted.',
  saved: 'Saved.',
  withdraw: 'Withdraw',
  withdraw_q: 'A withdrawn item is no longer matched. Withdraw “{title}”?',
  withdrawn: 'Withdrawn.',
  suggestions: 'Suggestions',
  suggestions_title: 'Suggestions for “{title}”',
  suggestions_none: 'No suitable suggestions yet.',
  needs_none: 'No needs yet. Post the first with the form above.',
  offers_none: 'No offers yet. Post the first with the form above.',
  ns_open: 'Open',
  ns_matched: 'Matched',
  ns_withdrawn: 'Withdrawn',
  os_open: 'Open',
  os_full: 'Full',
  os_withdrawn: 'Withdrawn',

  my_matches_title: 'My matches',
  my_matches_none: 'No matches concern you yet. They appear here once an organizer runs a match.',
  my_meetings_title: 'My meetings',
  my_meetings_none: 'No meetings scheduled yet.',
  counterpart: 'With',

  err_title: 'That did not work',
  err_field: 'Please check “{field}”',
  err_parse_error: 'The request was malformed.',
  err_bad_request: 'The request was incomplete.',
  err_unknown_op: 'The server does not know this operation; it needs an upgrade.',
  err_invalid_argument: 'Something entered does not fit the rules.',
  err_unauthenticated: 'The token is not valid or no longer valid.',
  err_forbidden: 'Your account is not allowed to do this.',
  err_not_found: 'This record was not found; it may have been removed.',
  err_conflict: 'Its current state does not allow this.',
  err_too_large: 'That is too much at once; shorten it and try again.',
  err_rate_limited: 'Too many requests; wait a few seconds and try again.',
  err_internal: 'The server failed; try again later, and tell the administrator if it persists.',
  err_unavailable: 'The server cannot store anything right now (e.g. its disk is full); nothing was saved. Try again later.',
  err_network: 'Cannot reach the server. Check the network or whether the server is running, then retry.',
  err_client: 'Please correct it and submit again.',
  err_required: '“{field}” must not be empty.',
  err_download: 'The download failed.',
  server_says: 'Server: ',
};

// Categories of the default taxonomy (conf/matchd.conf [taxonomy]).
const categories = {
  engineering: { zh: '工程类', en: 'Engineering', subs: {
    facility: ['公共设施', 'Facilities'], greening: ['绿化', 'Greening'],
    accessibility: ['无障碍', 'Accessibility'], safety: ['安全', 'Safety'],
    renovation: ['修缮', 'Renovation'] } },
  service: { zh: '服务类', en: 'Services', subs: {
    elderly: ['长者', 'Elderly'], children: ['儿童', 'Children'], youth: ['青少年', 'Youth'],
    disability: ['助残', 'Disability'], health: ['健康', 'Health'], culture: ['文化', 'Culture'],
    sports: ['体育', 'Sports'], education: ['教育', 'Education'], legal: ['法律', 'Legal aid'],
    volunteer: ['志愿', 'Volunteering'], neighbourhood: ['邻里', 'Neighbourhood'] } },
  goods: { zh: '物资类', en: 'Goods', subs: {
    equipment: ['设备', 'Equipment'], supplies: ['物资', 'Supplies'], books: ['图书', 'Books'] } },
};

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
    duplicate_of_title: '疑似重复的标题', similarity: '相似度', duplicate_similarity: '重复阈值', month: '月份' },
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
    similarity: 'Similarity', duplicate_similarity: 'Threshold', month: 'Month' },
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

export function categoryName(c) {
  if (!c) return '';
  const [fam, sub] = String(c).split('.');
  const F = categories[fam];
  if (!F) return c;
  const fname = lang === 'en' ? F.en : F.zh;
  if (!sub) return fname;
  const S = F.subs[sub];
  if (!S) return c;
  return lang === 'en' ? `${fname} · ${S[1]}` : `${fname}·${S[0]}`;
}

export function categoryList() {
  const out = [];
  for (const fam of Object.keys(categories))
    for (const sub of Object.keys(categories[fam].subs)) out.push(`${fam}.${sub}`);
  return out;
}

export function categoryFamilies() { return Object.keys(categories); }

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

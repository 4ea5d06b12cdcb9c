/*
 * demo_text.c: constant data for the demo seeder (see demo_text.h).
 *
 * Streets and communities follow 罗湖区 (Shenzhen), the district of the seed
 * document: 10 streets, 83 communities.  Ranges are in yuan and sized so that a
 * community's ~17 needs stay under its 2,000,000 yuan cap and most needs find
 * an offer they can afford.  Every description template expands to 40-200
 * characters.
 */
#include <stddef.h>

#include "daemon/demo/demo_text.h"

const char demo_district_name[] = "罗湖区";
const char demo_district_organizer[] = "罗湖区民政局民生微实事对接会";

/* ---- streets and communities ------------------------------------------ */

static const char *const gy_comms[] = {
	"松园社区", "桂木园社区", "老围社区", "新围社区", "大塘龙社区",
	"红岭社区", "红围社区", "人民桥社区", NULL
};
static const char *const hb_comms[] = {
	"黄贝岭社区", "新谊社区", "凤凰社区", "文华社区", "碧波社区",
	"怡景社区", "新秀社区", "罗芳社区", "华丽社区", "沿河社区", NULL
};
static const char *const dm_comms[] = {
	"湖贝社区", "立新社区", "城东社区", "东门社区", "花场社区",
	"新园社区", "赤水洞社区", "湖西社区", NULL
};
static const char *const cz_comms[] = {
	"翠竹社区", "翠锦社区", "翠宁社区", "翠平社区", "翠达社区",
	"民新社区", "水贝社区", "孖岭社区", "田贝社区", "木头龙社区", NULL
};
static const char *const dx_comms[] = {
	"东晓社区", "兰花社区", "草埔东社区", "独树社区", "金岭社区",
	"马山社区", "绿周社区", NULL
};
static const char *const nh_comms[] = {
	"罗湖社区", "南湖社区", "新南社区", "渔邨社区", "向西社区",
	"嘉北社区", "文锦社区", "国贸社区", "友谊社区", NULL
};
static const char *const sg_comms[] = {
	"笋岗社区", "笋西社区", "田心社区", "湖景社区", "洪湖社区",
	"宝岗社区", "螺岭社区", NULL
};
static const char *const dh_comms[] = {
	"东湖社区", "布心社区", "大望社区", "梧桐山社区", "东乐社区",
	"翠湖社区", "金湖社区", "水库社区", "新湖社区", NULL
};
static const char *const lt_comms[] = {
	"莲塘社区", "仙湖社区", "坳下社区", "畔山社区", "鹏兴社区",
	"长岭社区", "西岭下社区", "叠翠社区", "国威社区", NULL
};
static const char *const qsh_comms[] = {
	"清水河社区", "坭岗社区", "玉龙社区", "银湖社区", "红岗社区",
	"草埔西社区", NULL
};

const struct demo_street demo_streets[DEMO_NSTREETS] = {
	{ "桂园街道",	"GY",	gy_comms },
	{ "黄贝街道",	"HB",	hb_comms },
	{ "东门街道",	"DM",	dm_comms },
	{ "翠竹街道",	"CZ",	cz_comms },
	{ "东晓街道",	"DX",	dx_comms },
	{ "南湖街道",	"NH",	nh_comms },
	{ "笋岗街道",	"SG",	sg_comms },
	{ "东湖街道",	"DH",	dh_comms },
	{ "莲塘街道",	"LT",	lt_comms },
	{ "清水河街道",	"QSH",	qsh_comms },
};

/* ---- engineering (the positive list) ---------------------------------- */

static const char *const facility_nt[] = {
	"社区党群服务中心功能室改造", "老旧小区公共照明设施更新",
	"社区居民议事厅设施完善", "小区雨棚及休息座椅安装",
	"社区公共晾晒区建设", "垃圾分类投放点升级改造",
	"社区宣传栏及导视系统更新", "电动自行车集中充电设施建设", NULL
};
static const char *const facility_nd[] = {
	"$C部分小区建成超过二十年，公共设施老化严重，居民多次在议事会上反映。拟对相关设施进行更新改造，惠及居民约$N人，工期约$D。",
	"经$C居民议事会审议，拟在辖区小区内新建或完善公共设施，方便居民日常生活，预计受益居民$N人，项目按工程类正面清单实施。",
	"$S$C辖区人口密集，现有公共设施不能满足居民需要。本项目拟由具备资质的施工单位实施，计划工期$D，完工后由社区负责日常管理。",
	NULL
};
static const char *const facility_ot[] = {
	"社区公共设施改造提升工程", "老旧小区公共照明更新工程",
	"社区功能室装修改造", "电动自行车充电棚建设工程",
	"社区宣传栏导视系统制作安装", NULL
};
static const char *const facility_od[] = {
	"本公司具备建筑装修装饰工程专业承包资质，已在罗湖区承接社区公共设施改造项目$Y年，可为$A的社区提供设计、施工、验收一体化服务，工期约$D。",
	"提供社区公共设施新建与更新改造服务，含现场勘察、方案设计、施工及一年保修，服务范围为$A，单个项目工期约$D。",
	"专业施工团队，熟悉民生微实事工程类项目流程，严格执行安全文明施工要求，可在$D内完成社区设施改造，服务$A。",
	NULL
};

static const char *const greening_nt[] = {
	"小区绿化带补植提升", "社区口袋公园建设", "社区屋顶花园打造",
	"小区立体绿化改造", "社区公共绿地景观提升", "小区枯死树木清理补种",
	"社区共享菜园建设", NULL
};
static const char *const greening_nd[] = {
	"$C部分小区绿化带因年久失修出现裸土、枯死现象，影响小区环境。拟实施“$T”项目，改善约$N名居民的居住环境，工期$D。",
	"$C居民希望在社区闲置空地建设小型绿地和休憩空间，经居民议事会讨论通过，拟实施绿化提升工程，受益居民约$N人。",
	"结合$S创建宜居街区工作，$C拟对辖区公共绿地进行改造提升，增加花卉和乔灌木种植，并设置休闲座椅，预计工期$D。",
	NULL
};
static const char *const greening_ot[] = {
	"社区绿化景观提升工程", "口袋公园设计与施工", "屋顶花园及立体绿化工程",
	"小区绿化补植养护项目", "共享菜园营造项目", NULL
};
static const char *const greening_od[] = {
	"本公司具有园林绿化施工经验$Y年，可提供社区绿地补植、景观提升及一年养护服务，服务范围$A，单项工期约$D。",
	"以居民参与式设计打造口袋公园和共享菜园，从方案征集到施工养护全程服务，已在$A多个社区落地，工期约$D。",
	"提供立体绿化、屋顶花园设计施工，选用适合深圳气候的本地植物，施工期约$D，完工后免费养护一年，服务$A。",
	NULL
};

static const char *const access_nt[] = {
	"小区无障碍坡道改造", "老旧楼栋加装扶手", "社区公共卫生间适老化改造",
	"社区出入口无障碍通道建设", "长者家庭适老化改造", "社区盲道及无障碍标识完善",
	NULL
};
static const char *const access_nd[] = {
	"$C老年人和残疾人较多，部分楼栋出入口有台阶，轮椅和婴儿车进出困难。拟实施“$T”，惠及约$N名居民。",
	"为方便行动不便居民出行，$C拟对辖区公共区域进行无障碍改造，包括坡道、扶手和标识，工期约$D，受益约$N人。",
	"$C高龄、独居长者家庭存在跌倒隐患，拟为符合条件的家庭实施适老化改造，安装扶手、防滑地面等，计划服务$N户。",
	NULL
};
static const char *const access_ot[] = {
	"社区无障碍设施改造工程", "长者家庭适老化改造服务",
	"无障碍坡道及扶手安装工程", "公共区域适老化提升工程", NULL
};
static const char *const access_od[] = {
	"专业从事无障碍及适老化改造$Y年，提供入户评估、方案设计、施工安装和回访，服务$A，单个项目工期约$D。",
	"按照无障碍设计规范实施坡道、扶手、盲道及标识改造，施工期间保障居民通行安全，服务范围$A，工期约$D。",
	"针对老旧小区楼栋出入口及公共卫生间进行适老化改造，已完成罗湖区多个社区项目，可在$D内完工，服务$A。",
	NULL
};

static const char *const safety_nt[] = {
	"小区消防设施更新", "社区视频监控补盲建设", "城中村消防通道标识整治",
	"小区高空抛物监控安装", "社区微型消防站建设", "老旧小区防盗门禁改造",
	"社区积水点排水改造", NULL
};
static const char *const safety_nd[] = {
	"$C城中村及老旧小区楼栋密集，公共设施老化，存在安全隐患。拟实施“$T”，提升约$N名居民的居住安全。",
	"$C部分路段和楼栋存在安全隐患，居民多次反映。拟实施“$T”，由具备资质的单位施工，工期约$D。",
	"根据$S安全隐患排查结果，$C拟对辖区重点部位实施安全设施改造，惠及居民约$N人，由具备资质的单位施工。",
	NULL
};
static const char *const safety_ot[] = {
	"社区消防设施改造工程", "视频监控补盲及门禁系统建设",
	"高空抛物监控系统安装", "老旧小区安全隐患整治工程",
	"社区排水防涝改造工程", NULL
};
static const char *const safety_od[] = {
	"具备消防设施工程和安防工程资质，可为社区提供隐患排查、方案设计、施工安装及维保服务，服务$A，工期约$D。",
	"提供视频监控、门禁及高空抛物监测系统建设，已服务罗湖区社区$Y年，系统可接入社区综治平台，服务范围$A。",
	"针对城中村和老旧小区的消防、排水等安全隐患，提供一站式整治服务，施工期$D，质保一年，服务范围$A。",
	NULL
};

static const char *const renov_nt[] = {
	"社区长者服务站装修改造", "社区儿童之家空间改造", "老旧小区楼道翻新",
	"社区图书室空间改造", "社区文体活动室翻新", "小区外墙及楼道墙面修缮",
	NULL
};
static const char *const renov_nd[] = {
	"$C现有活动场地面积小、设施陈旧，难以满足居民活动需求。拟实施“$T”，改造后可服务约$N名居民，工期$D。",
	"$C部分公共空间老化破损，居民使用不便。经居民议事会审议，拟实施“$T”，惠及约$N人。",
	"为打造居民家门口的活动空间，$C拟利用闲置用房实施“$T”，按照功能分区进行装修，预计$D内完成，服务居民约$N人。",
	NULL
};
static const char *const renov_ot[] = {
	"社区活动空间装修改造工程", "老旧小区楼道翻新工程",
	"社区服务站点装修工程", "儿童之家空间营造工程", NULL
};
static const char *const renov_od[] = {
	"本公司专注社区公共空间装修改造$Y年，可提供空间规划、装修施工和软装配置，服务$A，单项工期约$D。",
	"提供老旧小区楼道翻新、墙面修缮及照明改造，文明施工、不扰民，工期约$D，服务范围$A。",
	"结合社区功能需求进行空间设计与装修施工，已完成长者服务站、儿童之家等多个项目，工期约$D，服务$A。",
	NULL
};

/* ---- services ---------------------------------------------------------- */

static const char *const elderly_nt[] = {
	"长者饭堂助餐服务", "独居老人上门探访", "长者健康讲座及义诊",
	"长者智能手机使用培训", "高龄老人居家照护服务", "长者生日会及节日关爱活动",
	"认知障碍老人早期筛查", "长者兴趣课堂", NULL
};
static const char *const elderly_nd[] = {
	"$C现有60岁以上老人约$N人，其中独居、空巢老人较多。拟引入专业机构在$P开展“$T”，服务时间$W，为期$D。",
	"$C老龄化程度较高，长者对健康管理和精神慰藉需求强烈。拟于$W在$P开展长者服务，为期$D，预计服务$N人次。",
	"针对$C高龄、独居长者，拟组织社工和志愿者开展“$T”，建立长者档案，服务周期$D，覆盖约$N名长者。",
	"$C居民议事会提出：希望为辖区长者开展“$T”，时间为$W，地点在$P，预计参与长者$N人。",
	NULL
};
static const char *const elderly_ot[] = {
	"长者助餐配送服务", "独居长者关爱探访项目", "长者智能生活课堂",
	"长者健康管理服务", "乐龄兴趣学堂", NULL
};
static const char *const elderly_od[] = {
	"由持证社工和护理员组成服务团队，为长者提供助餐、探访和健康管理服务，$W开展，每个社区服务约$N名长者，服务$A。",
	"本机构在罗湖区从事养老服务$Y年，项目包括上门探访、生日会、节日关爱等，服务周期$D，覆盖$A。",
	"以长者需求为本，开设智能手机、书法、合唱等兴趣课程，$W在社区活动场地授课，每期约$N人参加，服务$A。",
	NULL
};

static const char *const children_nt[] = {
	"四点半课堂课后托管", "暑期儿童成长营", "社区儿童安全教育",
	"亲子阅读活动", "儿童之家常态化运营", "困境儿童关爱服务",
	"儿童自然探索营", NULL
};
static const char *const children_nd[] = {
	"$C双职工家庭较多，孩子课余时间缺少陪伴。拟在$P开展“$T”，$W进行，服务儿童约$N名。",
	"假期到来，$C儿童假期生活单一。拟开展为期$D的“$T”，内容包括安全教育、手工、阅读等，预计服务$N名儿童。",
	"为促进亲子关系和儿童全面发展，$C拟于$W在$P开展“$T”，为期$D，覆盖辖区家庭约$N户。",
	NULL
};
static const char *const children_ot[] = {
	"四点半课堂托管服务", "儿童暑期成长营", "儿童安全教育进社区",
	"亲子共读成长计划", "儿童之家运营服务", NULL
};
static const char *const children_od[] = {
	"由专业社工和持证教师提供课后托管、作业辅导和兴趣活动，$W开展，每期服务儿童约$N名，服务范围$A。",
	"本机构深耕儿童服务$Y年，提供暑期成长营、安全教育和亲子阅读等项目，服务周期$D，覆盖$A。",
	"以游戏和体验为主的儿童成长课程，涵盖防溺水、防拐骗、交通安全等主题，每场活动约$N名儿童参加，服务$A。",
	NULL
};

static const char *const youth_nt[] = {
	"青少年心理成长小组", "青少年职业体验活动", "青少年网络安全教育",
	"青少年社会实践营", "青少年禁毒宣传教育", "青年志愿服务队培育", NULL
};
static const char *const youth_nd[] = {
	"$C青少年课余时间较多，部分存在沉迷网络、亲子沟通不畅等问题。拟开展“$T”，服务青少年约$N名，为期$D。",
	"为引导辖区青少年了解社会、规划未来，$C拟于$W组织“$T”，为期$D，预计参与$N人。",
	"$C拟联合辖区学校在$P开展“$T”，采用讲座、情景剧等形式，覆盖青少年约$N人。",
	NULL
};
static const char *const youth_ot[] = {
	"青少年成长支持小组", "青少年职业体验营", "青少年禁毒与网络安全教育",
	"青年社区参与计划", NULL
};
static const char *const youth_od[] = {
	"由青少年社工带领，开展情绪管理、人际沟通等成长小组，$W开展，每期约$N名青少年参与，服务$A。",
	"链接辖区企业和单位资源，为青少年提供职业体验和社会实践机会，项目周期$D，已在罗湖区实施$Y年，服务$A。",
	"以互动剧场、游戏体验等方式开展禁毒和网络安全教育，每场覆盖约$N人，可$W进校园、进社区，服务$A。",
	NULL
};

static const char *const disab_nt[] = {
	"残疾人康复训练服务", "残疾人职业技能培训", "心智障碍者日间照料",
	"残疾人家庭喘息服务", "残疾人文体融合活动", "残疾人居家探访", NULL
};
static const char *const disab_nd[] = {
	"$C登记在册残疾人约$N名，部分人员康复需求强烈但外出不便。拟引入专业机构提供“$T”，为期$D。",
	"为帮助$C残疾人融入社区生活，拟于$W在$P开展“$T”，为期$D，预计服务残疾人及家属$N人。",
	"$C心智障碍者家庭照顾压力大，拟开展“$T”，服务周期$D，覆盖约$N户家庭。",
	NULL
};
static const char *const disab_ot[] = {
	"残疾人社区康复服务", "残疾人就业技能培训", "心智障碍者日间照料",
	"助残融合活动项目", NULL
};
static const char *const disab_od[] = {
	"由康复治疗师和社工组成团队，为残疾人提供康复评估、训练和上门指导，$W开展，每期约$N人，服务$A。",
	"本机构从事助残服务$Y年，提供技能培训、就业辅导和文体融合活动，每期约$N人参加，项目周期$D，服务$A。",
	"为心智障碍者及家庭提供日间照料、喘息服务和家长支持小组，$W开展，项目周期$D，服务范围$A。",
	NULL
};

static const char *const health_nt[] = {
	"社区居民健康讲座", "慢性病管理小组", "居民心理健康辅导",
	"社区中医义诊活动", "急救知识技能培训", "孕产妇健康指导", NULL
};
static const char *const health_nd[] = {
	"$C居民中高血压、糖尿病等慢性病患者较多，拟开展“$T”，$W在$P举行，服务约$N人次。",
	"为提升居民自救互救能力，$C拟组织“$T”，邀请专业人员授课，预计培训居民$N人，为期$D。",
	"$C部分居民存在焦虑、压力等心理困扰，拟提供“$T”，服务周期$D，覆盖约$N人。",
	NULL
};
static const char *const health_ot[] = {
	"社区健康促进服务", "慢病自我管理小组", "心理健康关爱服务",
	"急救技能普及培训", "中医养生进社区", NULL
};
static const char *const health_od[] = {
	"联合社康中心医护人员，为居民提供健康讲座、慢病管理和义诊服务，$W开展，每场约$N人参加，服务$A。",
	"由国家二级心理咨询师提供讲座、团体辅导和个案咨询，本机构已服务罗湖区$Y年，项目周期$D，服务$A。",
	"持证急救导师授课，内容包括心肺复苏、AED使用、创伤包扎等，每期培训约$N人，$W开展，服务$A。",
	NULL
};

static const char *const culture_nt[] = {
	"社区邻里文化节", "传统节日民俗活动", "社区合唱团培育",
	"书法绘画兴趣班", "社区广场舞培训", "非遗文化进社区",
	"社区电影放映活动", NULL
};
static const char *const culture_nd[] = {
	"$C居民文化活动需求旺盛，拟于$W在$P开展“$T”，丰富居民精神生活，为期$D，预计参与居民$N人次。",
	"结合春节、端午、中秋等传统节日，$C拟在$P举办“$T”，全年开展，覆盖居民约$N人。",
	"$C现有文艺爱好者较多但缺少专业指导，拟引入专业老师开展“$T”，$W授课，为期$D，服务约$N人。",
	NULL
};
static const char *const culture_ot[] = {
	"社区文化节策划执行", "传统节日文化活动", "社区文艺队伍培育",
	"非遗手作体验课堂", "露天电影进社区", NULL
};
static const char *const culture_od[] = {
	"本机构策划执行社区文化活动$Y年，提供节庆活动、文艺演出和非遗体验等服务，每场约$N人参与，服务$A。",
	"由专业老师指导合唱、舞蹈、书画等社区文艺队伍，$W开展培训，项目周期$D，服务范围$A。",
	"整合本地文化资源，将剪纸、扎染、粤剧等非遗项目带进社区，每期约$N人参加，$W开展，服务$A。",
	NULL
};

static const char *const sports_nt[] = {
	"社区居民趣味运动会", "太极拳健身培训", "青少年篮球训练营",
	"长者健步走活动", "社区羽毛球联赛", "亲子游泳安全培训", NULL
};
static const char *const sports_nd[] = {
	"为倡导全民健身，$C拟于$W组织“$T”，地点在$P，预计参与居民$N人次，为期$D。",
	"$C居民健身热情高但缺乏专业指导，拟聘请专业教练开展“$T”，$W授课，服务约$N人。",
	"$C拟举办“$T”，增进邻里交流，覆盖各年龄段居民约$N人，活动为期$D。",
	NULL
};
static const char *const sports_ot[] = {
	"全民健身进社区", "社区运动会策划执行", "太极健身培训课程",
	"青少年体育训练营", NULL
};
static const char *const sports_od[] = {
	"由国家社会体育指导员授课，提供太极、健身操、球类等培训，$W开展，每期约$N人，服务$A。",
	"本机构承办社区运动会和联赛$Y年，提供策划、器材、裁判和安全保障一站式服务，服务$A。",
	"面向儿童青少年开展篮球、足球、游泳等体育训练，项目周期$D，每期约$N人参加，服务范围$A。",
	NULL
};

static const char *const edu_nt[] = {
	"社区长者学堂", "居民家庭教育讲座", "外来务工人员技能培训",
	"社区英语角", "科普知识进社区", "垃圾分类宣传教育", NULL
};
static const char *const edu_nd[] = {
	"$C居民学习需求多样，拟依托$P开展“$T”，$W授课，为期$D，预计服务居民$N人次。",
	"为满足居民多样化的学习需求，$C拟邀请专业讲师开展“$T”，为期$D，覆盖辖区居民约$N人。",
	"$C外来务工人员和青年居民较多，拟开展“$T”，帮助居民提升能力，预计服务$N人。",
	NULL
};
static const char *const edu_ot[] = {
	"社区终身学习课堂", "家庭教育指导服务", "科普教育进社区",
	"职业技能提升培训", NULL
};
static const char *const edu_od[] = {
	"整合高校和专业讲师资源，开设家庭教育、科普、技能等课程，$W授课，每期约$N人，服务$A。",
	"本机构从事社区教育$Y年，课程体系完整，可根据社区需求定制内容，项目周期$D，服务范围$A。",
	"以讲座、工作坊和实践体验相结合的方式开展社区教育，每场约$N人参与，$W开展，服务$A。",
	NULL
};

static const char *const legal_nt[] = {
	"社区法律顾问驻点服务", "居民法律知识讲座", "邻里纠纷人民调解",
	"老年人防诈骗宣传", "租赁纠纷法律咨询", NULL
};
static const char *const legal_nd[] = {
	"$C出租屋较多，租赁和邻里纠纷时有发生。拟引入律师开展“$T”，$W在$P提供咨询和调解，为期$D。",
	"近期针对老年人的诈骗案件增多，$C拟开展“$T”，为期$D，预计覆盖居民$N人。",
	"$C居民对婚姻家庭、劳动保障等法律问题咨询需求较多，拟开展“$T”，提供常态化法律服务，服务约$N人次。",
	NULL
};
static const char *const legal_ot[] = {
	"社区法律服务驻点", "普法宣传进社区", "人民调解专业支持",
	"防诈骗宣传教育", NULL
};
static const char *const legal_od[] = {
	"由执业律师和调解员提供驻点咨询、纠纷调解和普法讲座，$W驻点服务，项目周期$D，服务$A。",
	"本机构从事基层法律服务$Y年，熟悉租赁、婚姻家庭、劳动等常见纠纷，项目周期$D，年服务约$N人次。",
	"以情景剧、案例分享等形式开展普法和防诈骗宣传，每场约$N人参与，$W开展，服务范围$A。",
	NULL
};

static const char *const volun_nt[] = {
	"社区志愿者队伍建设", "志愿服务积分激励", "楼栋长志愿者培训",
	"社区志愿服务站运营", "党员志愿者结对帮扶", NULL
};
static const char *const volun_nd[] = {
	"$C现有注册志愿者约$N人，但活跃度不高。拟开展“$T”，做好志愿者招募、培训和激励，建立常态化志愿服务机制，为期$D。",
	"为发挥居民自治作用，$C拟开展“$T”，培育楼栋长和志愿骨干，$W开展培训和服务活动，地点在$P，预计参与$N人。",
	"$C拟开展“$T”，组织志愿者开展助老、环保、文明劝导等服务，为期$D，预计服务$N人次。",
	NULL
};
static const char *const volun_ot[] = {
	"社区志愿者培育计划", "志愿服务站运营支持", "志愿服务积分管理",
	"楼栋志愿骨干培训", NULL
};
static const char *const volun_od[] = {
	"提供志愿者招募、培训、督导和激励一体化服务，帮助社区建立志愿服务队伍，项目周期$D，服务$A。",
	"本机构运营志愿服务项目$Y年，设计积分兑换和表彰机制，$W组织志愿活动，每期约$N人参与。",
	"协助社区运营志愿服务站，开展助老、环保、文明劝导等志愿服务，项目周期$D，服务范围$A。",
	NULL
};

static const char *const neigh_nt[] = {
	"邻里互助节活动", "楼栋邻里议事会培育", "社区共享工具屋",
	"新市民融入服务", "城中村邻里关系营造", "社区议事协商能力建设", NULL
};
static const char *const neigh_nd[] = {
	"$C居民来源多样，邻里之间交流较少。拟于$W在$P开展“$T”，增进相互了解，预计参与居民$N人次。",
	"为推动居民参与社区治理，$C拟开展“$T”，培育居民自组织和议事协商能力，为期$D，预计参与$N人。",
	"$C城中村新市民较多，拟开展“$T”，帮助约$N名新市民了解社区、融入社区，为期$D。",
	NULL
};
static const char *const neigh_ot[] = {
	"邻里互助网络营造", "居民议事能力提升", "社区共享空间运营",
	"新市民融入计划", NULL
};
static const char *const neigh_od[] = {
	"以社区营造理念培育居民自组织和楼栋议事会，$W开展活动，项目周期$D，服务$A。",
	"本机构从事社区营造$Y年，提供邻里节策划、共享空间运营和议事协商培训，每期约$N人参加，服务$A。",
	"通过邻里茶话会、技能交换和共享工具屋等方式促进邻里互助，$W开展，项目周期$D，服务范围$A。",
	NULL
};

/* ---- goods ------------------------------------------------------------- */

static const char *const equip_nt[] = {
	"社区健身器材更新", "长者服务站康复器材配置", "社区应急物资及设备配置",
	"社区活动室音响设备采购", "社区AED除颤仪配置", "微型消防站器材补充", NULL
};
static const char *const equip_nd[] = {
	"$C现有设备使用多年，部分损坏存在安全隐患。拟实施“$T”，方便约$N名居民日常使用。",
	"为完善$C服务设施，拟为$P实施“$T”，满足居民活动和服务需求，受益居民约$N人，$D内完成采购。",
	"$C拟实施“$T”，提升社区应对突发事件和自然灾害的能力，覆盖居民约$N人。",
	NULL
};
static const char *const equip_ot[] = {
	"社区健身器材供应安装", "康复辅具及器材配置", "应急救援设备供应",
	"社区活动室设备配置", NULL
};
static const char *const equip_od[] = {
	"提供符合国家标准的健身器材、康复器材和应急设备，含运输、安装和一年质保，服务$A。",
	"本公司供应社区设备$Y年，可根据场地情况提供配置方案，交货周期约$D，提供上门安装，服务范围$A。",
	"提供音响、投影、AED等社区常用设备的采购安装和使用培训，交货周期约$D，服务范围$A。",
	NULL
};

static const char *const suppl_nt[] = {
	"社区卫生防护物资采购", "长者爱心物资包", "垃圾分类宣传物资",
	"社区活动物资采购", "困难家庭节日慰问物资", NULL
};
static const char *const suppl_nd[] = {
	"$C每年开展各类居民活动需要大量物资，拟实施“$T”，保障活动正常开展，预计受益居民$N人。",
	"为关爱辖区困难群众和长者，$C拟实施“$T”，惠及约$N户家庭，$D内完成。",
	"$C拟实施“$T”，用于环境整治、宣传和居民活动，覆盖居民约$N人，由社区统一管理使用。",
	NULL
};
static const char *const suppl_ot[] = {
	"社区活动物资供应", "关爱慰问物资配送", "卫生防护物资供应",
	"宣传物资设计制作", NULL
};
static const char *const suppl_od[] = {
	"提供社区活动、慰问和宣传所需物资的采购、分装和配送服务，交货周期约$D，服务$A。",
	"本公司为罗湖区社区供应物资$Y年，品类齐全、价格透明，可按社区需求定制物资清单，服务$A。",
	"提供物资包设计、采购和送货上门服务，单次可配送约$N份，交货周期约$D，服务范围$A。",
	NULL
};

static const char *const books_nt[] = {
	"社区图书室图书更新", "儿童绘本采购", "长者大字版读物配置",
	"社区智能借阅柜配置", "社区书吧图书补充", NULL
};
static const char *const books_nd[] = {
	"$C图书室现有藏书陈旧，借阅率低。拟实施“$T”，方便约$N名居民借阅，$D内完成。",
	"为营造书香社区，$C拟为$P实施“$T”，预计受益居民$N人，由社区统一管理。",
	"$C拟实施“$T”，与区图书馆通借通还，服务居民约$N人，方便居民就近借阅。",
	NULL
};
static const char *const books_ot[] = {
	"社区图书配送与编目", "儿童绘本书单定制", "智能借阅柜供应",
	"书香社区图书配置", NULL
};
static const char *const books_od[] = {
	"提供图书选书、采购、编目和上架一站式服务，书单可按社区居民需求定制，交货周期约$D，服务$A。",
	"本公司从事图书发行$Y年，提供儿童绘本、长者大字读物等，交货周期约$D，服务范围$A。",
	"供应智能借阅柜并对接区图书馆通借通还系统，含安装调试和使用培训，服务范围$A。",
	NULL
};

/*
 * The taxonomy in its documented order.  Weights give about 20% engineering,
 * 70% service and 10% goods needs, as in the seed (engineering needs were
 * gathered separately and most money goes to services).
 */
#define CAT(n, f, w, nlo, nhi, plo, phi, blo, bhi, clo, chi, p) \
	{ n, f, w, nlo, nhi, plo, phi, blo, bhi, clo, chi, \
	  p##_nt, p##_nd, p##_ot, p##_od }

const struct demo_category demo_categories[] = {
	CAT("engineering.facility",	 DEMO_ENGINEERING, 5, 50000, 380000, 60000, 360000, 300, 5000, 1, 2, facility),
	CAT("engineering.greening",	 DEMO_ENGINEERING, 4, 30000, 300000, 50000, 280000, 300, 4000, 1, 2, greening),
	CAT("engineering.accessibility", DEMO_ENGINEERING, 3, 30000, 250000, 40000, 240000, 20, 800, 1, 2, access),
	CAT("engineering.safety",	 DEMO_ENGINEERING, 4, 30000, 300000, 40000, 280000, 300, 5000, 1, 2, safety),
	CAT("engineering.renovation",	 DEMO_ENGINEERING, 4, 50000, 400000, 60000, 420000, 200, 4000, 1, 2, renov),
	CAT("service.elderly",		 DEMO_SERVICE, 12, 20000, 200000, 30000, 180000, 30, 400, 2, 5, elderly),
	CAT("service.children",		 DEMO_SERVICE, 9, 20000, 180000, 30000, 160000, 20, 300, 2, 5, children),
	CAT("service.youth",		 DEMO_SERVICE, 6, 20000, 150000, 30000, 140000, 20, 200, 2, 4, youth),
	CAT("service.disability",	 DEMO_SERVICE, 5, 20000, 180000, 30000, 160000, 10, 120, 1, 4, disab),
	CAT("service.health",		 DEMO_SERVICE, 7, 15000, 150000, 30000, 140000, 50, 600, 2, 5, health),
	CAT("service.culture",		 DEMO_SERVICE, 8, 15000, 150000, 20000, 130000, 50, 800, 2, 5, culture),
	CAT("service.sports",		 DEMO_SERVICE, 6, 15000, 120000, 20000, 110000, 30, 500, 2, 5, sports),
	CAT("service.education",	 DEMO_SERVICE, 6, 15000, 150000, 20000, 130000, 20, 400, 2, 5, edu),
	CAT("service.legal",		 DEMO_SERVICE, 4, 10000, 100000, 20000, 90000, 50, 500, 2, 5, legal),
	CAT("service.volunteer",	 DEMO_SERVICE, 4, 10000, 100000, 20000, 90000, 20, 300, 2, 5, volun),
	CAT("service.neighbourhood",	 DEMO_SERVICE, 6, 10000, 120000, 20000, 110000, 50, 600, 2, 5, neigh),
	CAT("goods.equipment",		 DEMO_GOODS, 4, 10000, 150000, 10000, 140000, 50, 2000, 1, 3, equip),
	CAT("goods.supplies",		 DEMO_GOODS, 3, 10000, 100000, 10000, 90000, 50, 1000, 1, 3, suppl),
	CAT("goods.books",		 DEMO_GOODS, 2, 10000, 80000, 10000, 70000, 50, 1000, 1, 3, books),
};
const size_t demo_ncategories = sizeof(demo_categories) / sizeof(demo_categories[0]);

#undef CAT

/* ---- organisations ----------------------------------------------------- */

const struct demo_org_profile demo_org_profiles[] = {
	{ "社会工作服务中心",	DEMO_ORG_SOCIAL, 14, { "service.elderly", "service.children", "service.neighbourhood", "service.youth" } },
	{ "社工服务社",		DEMO_ORG_SOCIAL, 6, { "service.elderly", "service.neighbourhood", "service.volunteer", NULL } },
	{ "长者服务中心",	DEMO_ORG_SOCIAL, 6, { "service.elderly", "service.health", NULL, NULL } },
	{ "养老服务中心",	DEMO_ORG_SOCIAL, 5, { "service.elderly", "service.health", NULL, NULL } },
	{ "青少年发展服务中心",	DEMO_ORG_SOCIAL, 4, { "service.youth", "service.education", NULL, NULL } },
	{ "儿童成长服务中心",	DEMO_ORG_SOCIAL, 4, { "service.children", "service.education", NULL, NULL } },
	{ "残疾人康复服务中心",	DEMO_ORG_SOCIAL, 4, { "service.disability", "service.health", NULL, NULL } },
	{ "心理健康服务中心",	DEMO_ORG_SOCIAL, 3, { "service.health", "service.youth", NULL, NULL } },
	{ "文化传播中心",	DEMO_ORG_SOCIAL, 5, { "service.culture", "service.education", NULL, NULL } },
	{ "艺术培训中心",	DEMO_ORG_SOCIAL, 3, { "service.culture", "service.children", NULL, NULL } },
	{ "体育发展中心",	DEMO_ORG_SOCIAL, 4, { "service.sports", NULL, NULL, NULL } },
	{ "法律服务中心",	DEMO_ORG_SOCIAL, 3, { "service.legal", NULL, NULL, NULL } },
	{ "社区发展中心",	DEMO_ORG_SOCIAL, 4, { "service.neighbourhood", "service.culture", "service.volunteer", NULL } },
	{ "公益服务中心",	DEMO_ORG_SOCIAL, 3, { "service.volunteer", "service.neighbourhood", "service.elderly", NULL } },
	{ "社区教育服务中心",	DEMO_ORG_SOCIAL, 3, { "service.education", "service.children", NULL, NULL } },
	{ "社区志愿者协会",	DEMO_ORG_ASSOC, 4, { "service.volunteer", NULL, NULL, NULL } },
	{ "义工联合会",		DEMO_ORG_ASSOC, 2, { "service.volunteer", "service.elderly", NULL, NULL } },
	{ "健康促进会",		DEMO_ORG_ASSOC, 2, { "service.health", NULL, NULL, NULL } },
	{ "体育健身协会",	DEMO_ORG_ASSOC, 3, { "service.sports", NULL, NULL, NULL } },
	{ "人民调解协会",	DEMO_ORG_ASSOC, 2, { "service.legal", "service.neighbourhood", NULL, NULL } },
	{ "建筑装饰工程有限公司", DEMO_ORG_COMPANY, 7, { "engineering.renovation", "engineering.facility", NULL, NULL } },
	{ "园林绿化工程有限公司", DEMO_ORG_COMPANY, 5, { "engineering.greening", NULL, NULL, NULL } },
	{ "建设工程有限公司",	DEMO_ORG_COMPANY, 5, { "engineering.facility", "engineering.accessibility", "engineering.renovation", NULL } },
	{ "康复辅具科技有限公司", DEMO_ORG_COMPANY, 2, { "engineering.accessibility", "goods.equipment", NULL, NULL } },
	{ "消防工程有限公司",	DEMO_ORG_COMPANY, 3, { "engineering.safety", "goods.equipment", NULL, NULL } },
	{ "安防科技有限公司",	DEMO_ORG_COMPANY, 3, { "engineering.safety", NULL, NULL, NULL } },
	{ "体育用品有限公司",	DEMO_ORG_COMPANY, 3, { "goods.equipment", NULL, NULL, NULL } },
	{ "商贸有限公司",	DEMO_ORG_COMPANY, 3, { "goods.supplies", "goods.equipment", NULL, NULL } },
	{ "图书有限公司",	DEMO_ORG_COMPANY, 2, { "goods.books", NULL, NULL, NULL } },
	{ "文化用品有限公司",	DEMO_ORG_COMPANY, 2, { "goods.supplies", "goods.books", NULL, NULL } },
	{ "长者义工队",		DEMO_ORG_FILED, 3, { "service.volunteer", "service.elderly", NULL, NULL } },
	{ "文艺队",		DEMO_ORG_FILED, 3, { "service.culture", NULL, NULL, NULL } },
	{ "太极拳队",		DEMO_ORG_FILED, 2, { "service.sports", NULL, NULL, NULL } },
	{ "读书会",		DEMO_ORG_FILED, 2, { "service.culture", "service.education", NULL, NULL } },
	{ "邻里互助会",		DEMO_ORG_FILED, 3, { "service.neighbourhood", NULL, NULL, NULL } },
	{ "亲子俱乐部",		DEMO_ORG_FILED, 2, { "service.children", NULL, NULL, NULL } },
	{ "健康自我管理小组",	DEMO_ORG_FILED, 1, { "service.health", NULL, NULL, NULL } },
};
const size_t demo_norg_profiles = sizeof(demo_org_profiles) / sizeof(demo_org_profiles[0]);

const char *const demo_social_brands[] = {
	"阳光", "启航", "同心", "春晖", "彩虹", "益民", "和谐", "馨和", "乐龄",
	"康宁", "博爱", "善源", "晨曦", "暖阳", "新希望", "心桥", "鹏爱", "映山红",
	"德善", "携手", "众合", "仁爱", "夕阳红", "童心", "金色年华", "正阳",
	"绿洲", "向日葵", "知行", "惠民", "共享", "家和", "睦邻", "安心", "星光",
	"朝阳", "善德", "福源", "益众", "明德", "立人", "乐群", "桂香", "莲心",
	"梧桐", "东湖", "深港", "大爱", "润心", "至善", "长青", "小树苗", NULL
};
const char *const demo_company_brands[] = {
	"鹏城", "华建", "城建", "绿源", "安达", "宏业", "中深", "粤安", "恒泰",
	"金鹏", "深发", "建安", "嘉园", "锦绣", "联合", "万顺", "森美", "南粤",
	"瑞丰", "东信", "鼎盛", "永安", "华邦", "创新", "博文", "书香", "卓越",
	"天成", "富康", "新景", "和泰", "利民", "长兴", "顺达", "佳美", "宝安泰", NULL
};
const char *const demo_org_prefixes[] = {
	"深圳市罗湖区", "罗湖区", "深圳市", NULL
};

const char *const demo_schedules[] = {
	"每周二、四上午", "每周六下午", "每月两次", "工作日中午", "每周一次",
	"每月第一个周六", "每周三下午", "周末", "每月一次", NULL
};
const char *const demo_places[] = {
	"社区党群服务中心", "社区长者服务站", "小区中心广场", "社区活动室",
	"社区文化广场", "社区儿童之家", "社区图书室", NULL
};
const char *const demo_durations[] = {
	"3个月", "6个月", "一年", "两个月", "四个月", "半年", "8个月", NULL
};

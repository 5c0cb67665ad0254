package demo

// Word lists from which the generator builds names. Every list is a slice, never a map, so
// that picking from it is deterministic.

// surnames are common Chinese family names, weighted by repetition (汪, 王, 李, 张 and 刘
// are frequent in 宣城).
var surnames = []string{
	"王", "王", "李", "李", "张", "张", "刘", "刘", "汪", "汪", "陈", "杨", "黄", "赵", "吴", "周",
	"徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐",
	"许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡",
	"余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟",
	"谭", "陆", "范", "金", "石", "廖", "贾", "夏", "方", "白", "邹", "孟", "熊", "秦", "江",
	"尹", "薛", "段", "雷", "侯", "龙", "史", "陶", "贺", "顾", "毛", "郝", "龚", "邵", "万",
	"钱", "严", "戴", "孔", "汤", "章", "查", "俞", "葛", "詹",
}

var givenMale = []string{
	"伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华",
	"飞", "鑫", "波", "宁", "凯", "浩", "俊", "峰", "建", "国", "志", "文", "海", "东", "林",
	"成", "晨", "宇", "新", "亮", "健", "阳", "春", "松", "德", "永", "祥", "军", "兵", "洋",
}

var givenFemale = []string{
	"芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "燕", "玲", "婷", "雪", "慧", "琳", "颖",
	"倩", "洁", "梅", "红", "萍", "兰", "月", "晶", "欣", "怡", "佳", "蕾", "璐", "莉", "琴",
	"云", "霞", "秀", "英", "芬",
}

// tradeChars are the characters of a firm's trade name (字号); two of them make one.
var tradeChars = []string{
	"恒", "瑞", "鑫", "华", "泰", "盛", "源", "达", "宏", "昌", "隆", "兴", "丰", "利", "祥",
	"和", "安", "通", "远", "鼎", "诚", "信", "德", "美", "嘉", "凯", "博", "新", "金", "宝",
	"天", "宇", "星", "辰", "海", "江", "峰", "林", "森", "晟", "润", "晶", "明", "光", "亿",
	"万", "众", "合", "创", "科", "正", "中", "东", "康", "富", "荣", "福", "佳", "优", "卓",
	"越", "腾", "飞", "龙", "凤", "锦", "绣", "友", "邦", "立", "成", "鸿", "运", "永", "久",
	"长", "青", "松", "竹", "梅", "皖", "宣", "敬", "亭", "宛", "陵", "昭", "澄", "汇", "聚",
	"联", "顺", "益", "升", "泽", "浩", "伟", "豪", "旺", "乐", "弘", "怡", "景", "晨", "骏",
	"琪", "航", "铭", "臻", "睿", "赛", "驰", "冠", "精", "艺", "品", "尚", "时", "方", "圆",
}

// firmPrefixes put a place in front of a firm's name.
var firmPrefixes = []string{"宣城市", "宣城市", "宣城", "安徽", "宣州区"}

// firmSuffixes end a firm's name; 股份有限公司 is used only for larger firms.
var firmSuffixes = []string{"有限公司", "有限公司", "有限公司", "有限公司", "有限责任公司"}

// socialTypes are the endings of a social organisation's name and whether it is a social
// association (社会团体, credit category '1') rather than a private non-enterprise unit
// (民办非企业单位, category '2'); edu marks the education ones.
var socialTypes = []struct {
	suffix string
	assoc  bool
	edu    bool
}{
	{"社会工作服务中心", false, false}, {"养老服务中心", false, false}, {"志愿服务协会", true, false},
	{"文化艺术协会", true, false}, {"体育健身协会", true, false}, {"商会", true, false},
	{"培训学校", false, true}, {"幼儿园", false, true}, {"调解服务中心", false, false},
	{"慈善协会", true, false}, {"家庭教育服务中心", false, true}, {"行业协会", true, false},
	{"青少年活动中心", false, true}, {"社区服务中心", false, false}, {"老年人协会", true, false},
}

var hospitalSuffixes = []string{"医院", "医院", "中医医院", "口腔医院", "眼科医院", "康复医院", "骨科医院"}

// communityStems name communities (…社区) beyond 城东社区 and the town-seat communities.
var communityStems = []string{
	"城西", "城南", "城北", "梅园", "叠嶂", "昭亭", "宛陵", "府山", "陵阳", "鳌山", "景德",
	"状元", "北门", "南门", "东门", "西门", "花园", "锦城", "双桥", "薰化", "梅溪", "宝城",
	"凤凰", "龙首", "夏渡", "金坝", "桃园", "彩金", "春晖", "锦绣", "幸福", "和平", "光明",
	"兴华", "新河", "新华", "团结", "民主", "朝阳", "滨河", "青弋", "清溪", "双塔", "华阳",
	"馆驿", "府东", "府西", "开元", "文化", "秀山", "水阳江", "宛溪", "响山", "麻姑",
	"华佗", "鳌峰", "济川", "西林", "敬亭", "向阳", "飞彩", "澄江", "南湖", "北湖", "双溪",
	"金桥", "龙溪", "桂花", "状元坊", "古泉", "宣纸", "书院", "谢朓", "李白", "迎春",
}

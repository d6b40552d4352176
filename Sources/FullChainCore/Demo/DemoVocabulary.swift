/// Word lists the demo brand's names are built from. Every entry is fictional or generic.
enum DemoVocabulary {
    /// Brand name stems; the brand is `{stem}饮品 (演示)`.
    static let brandStems = ["清泉", "山川", "云岭", "晴川", "青禾", "澄源", "碧溪", "松涧"]

    /// Common surnames, the most frequent repeated so they come up more often.
    static let surnames: [String] = [
        "王", "王", "王", "李", "李", "李", "张", "张", "张", "刘", "刘", "陈", "陈", "杨", "杨", "黄", "赵", "吴", "周", "徐",
        "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭",
        "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚",
        "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "方", "白", "邹", "孟", "熊", "秦",
        "邱", "江", "尹", "薛", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "严", "欧阳",
    ]

    /// Characters used in given names.
    static let givenNameCharacters: [String] = [
        "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞", "平",
        "刚", "桂", "英", "华", "玉", "兰", "萍", "红", "鹏", "辉", "建", "国", "文", "斌", "宇", "浩", "凯", "晨", "欣", "怡",
        "子", "涵", "梓", "轩", "然", "思", "远", "佳", "琪", "雨", "萱", "婷", "雪", "慧", "宁", "博", "志", "海", "波", "峰",
        "亮", "林", "春", "晓", "嘉", "俊", "振", "荣", "丹", "倩", "颖", "琳", "航", "昊", "天", "一", "诗", "悦", "瑞", "泽",
    ]

    /// Neighbourhood and street words for store names.
    static let places: [String] = [
        "幸福里", "和平街", "建设路", "阳光花园", "锦绣苑", "金色家园", "翠湖", "东湖", "滨江", "新华", "光明", "育才",
        "文化宫", "人民路", "解放路", "春天花园", "丽景湾", "明珠", "紫荆", "桃园", "杏林", "柳岸", "枫林", "梧桐",
        "银杏", "海棠", "兰亭", "北苑", "南苑", "东城", "西城", "中心广场", "大学城", "火车站", "汽车站", "体育馆",
        "工人新村", "康乐", "富民", "兴隆", "长乐", "永安", "太平", "安居", "星河", "清华园", "书香", "玉兰",
        "世纪城", "花园小区", "友谊", "团结", "向阳", "胜利", "红旗", "五一", "青年路", "朝晖", "嘉园", "碧水",
    ]

    /// Road stems; a road is `{stem}{suffix}`.
    static let roadStems: [String] = [
        "建设", "人民", "解放", "中山", "和平", "胜利", "文化", "新华", "光明", "长江", "黄河", "东风", "迎宾", "工业",
        "青年", "健康", "学府", "友谊", "振兴", "滨河", "环城", "开发", "世纪", "金融", "科技", "花园", "北京", "南京",
        "朝阳", "复兴", "民主", "团结", "红星", "育才", "幸福", "广场", "府前", "体育", "公园", "车站",
    ]

    static let roadSuffixes: [String] = ["路", "路", "路", "街", "街", "大道", "东路", "西路", "南路", "北路", "大街"]

    /// Fictional supermarket chain names.
    static let supermarketBrands: [String] = ["佳惠", "万家福", "惠邻", "佳佳福", "丰源", "优选", "乐购汇", "好邻居"]

    /// Trade names for distributors: `{city}{trade name}{company form}`.
    static let tradeNames: [String] = [
        "鑫源", "恒通", "瑞丰", "宏达", "永盛", "嘉禾", "汇通", "金泰", "福源", "万家", "联合", "兴隆", "昌盛", "泰和",
        "丰泽", "润通", "佳和", "盛世", "广源", "德信", "和顺", "宏泰", "祥瑞", "富达", "顺发", "天成", "安达", "华盛",
        "联达", "金鼎", "隆昌", "鼎盛", "鸿运", "众诚", "嘉信", "华美", "永和", "新恒", "同福", "裕丰", "盛源", "通达",
        "东升", "聚丰", "鑫隆", "荣昌", "京华", "惠丰",
    ]

    static let companyForms: [String] = ["商贸有限公司", "商贸有限公司", "贸易有限公司", "食品有限公司", "供应链管理有限公司"]

    /// Mobile number prefixes.
    static let mobilePrefixes: [String] = [
        "138", "139", "137", "136", "135", "150", "151", "152", "158", "159", "186", "187", "188", "189", "177", "180", "133", "153",
    ]

    /// One SKU template: name with pack size, category, suggested retail price in fen, units per case.
    struct ProductTemplate {
        let name: String
        let category: String
        let priceFen: Int64
        let unitsPerCase: Int64
    }

    static let products: [ProductTemplate] = [
        ProductTemplate(name: "清爽绿茶 500ml", category: "茶饮料", priceFen: 350, unitsPerCase: 24),
        ProductTemplate(name: "冰红茶 500ml", category: "茶饮料", priceFen: 350, unitsPerCase: 24),
        ProductTemplate(name: "茉莉花茶 500ml", category: "茶饮料", priceFen: 400, unitsPerCase: 24),
        ProductTemplate(name: "乌龙茶 500ml", category: "茶饮料", priceFen: 500, unitsPerCase: 24),
        ProductTemplate(name: "柠檬红茶 1L", category: "茶饮料", priceFen: 650, unitsPerCase: 12),
        ProductTemplate(name: "无糖绿茶 500ml", category: "茶饮料", priceFen: 550, unitsPerCase: 24),
        ProductTemplate(name: "鲜榨橙汁 450ml", category: "果汁", priceFen: 500, unitsPerCase: 24),
        ProductTemplate(name: "苹果汁 1L", category: "果汁", priceFen: 1200, unitsPerCase: 12),
        ProductTemplate(name: "葡萄汁 450ml", category: "果汁", priceFen: 550, unitsPerCase: 24),
        ProductTemplate(name: "芒果汁 330ml", category: "果汁", priceFen: 450, unitsPerCase: 24),
        ProductTemplate(name: "混合果蔬汁 1L", category: "果汁", priceFen: 1400, unitsPerCase: 12),
        ProductTemplate(name: "天然矿泉水 550ml", category: "矿泉水", priceFen: 300, unitsPerCase: 24),
        ProductTemplate(name: "天然矿泉水 1.5L", category: "矿泉水", priceFen: 500, unitsPerCase: 12),
        ProductTemplate(name: "饮用纯净水 550ml", category: "矿泉水", priceFen: 300, unitsPerCase: 24),
        ProductTemplate(name: "原味苏打水 410ml", category: "矿泉水", priceFen: 450, unitsPerCase: 24),
        ProductTemplate(name: "家庭装饮用水 5L", category: "矿泉水", priceFen: 1000, unitsPerCase: 12),
        ProductTemplate(name: "经典可乐 330ml", category: "碳酸饮料", priceFen: 350, unitsPerCase: 24),
        ProductTemplate(name: "无糖可乐 330ml", category: "碳酸饮料", priceFen: 350, unitsPerCase: 24),
        ProductTemplate(name: "柠檬汽水 330ml", category: "碳酸饮料", priceFen: 350, unitsPerCase: 24),
        ProductTemplate(name: "橙味汽水 600ml", category: "碳酸饮料", priceFen: 400, unitsPerCase: 24),
        ProductTemplate(name: "经典可乐 2L", category: "碳酸饮料", priceFen: 900, unitsPerCase: 12),
        ProductTemplate(name: "维生素运动饮料 600ml", category: "功能饮料", priceFen: 600, unitsPerCase: 24),
        ProductTemplate(name: "能量饮料 250ml", category: "功能饮料", priceFen: 600, unitsPerCase: 24),
        ProductTemplate(name: "电解质水 500ml", category: "功能饮料", priceFen: 550, unitsPerCase: 24),
        ProductTemplate(name: "牛磺酸饮料 250ml", category: "功能饮料", priceFen: 700, unitsPerCase: 24),
        ProductTemplate(name: "乳酸菌饮料 340ml", category: "乳饮料", priceFen: 600, unitsPerCase: 24),
        ProductTemplate(name: "核桃乳 240ml", category: "乳饮料", priceFen: 450, unitsPerCase: 24),
        ProductTemplate(name: "椰子汁 245ml", category: "乳饮料", priceFen: 500, unitsPerCase: 24),
        ProductTemplate(name: "花生牛奶 250ml", category: "乳饮料", priceFen: 400, unitsPerCase: 24),
        ProductTemplate(name: "草莓酸奶饮品 1L", category: "乳饮料", priceFen: 1500, unitsPerCase: 12),
    ]
}

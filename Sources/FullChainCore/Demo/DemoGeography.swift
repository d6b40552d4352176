/// The demo brand's sales territory: four 大区, their 地区 (each a province or a group of
/// provinces) and the big prefecture-level cities each 地区 works in.
enum DemoGeography {
    struct City {
        /// 6-digit GB/T 2260 code of a prefecture-level city (or a municipality's city level).
        let code: String
        /// Relative market size; store counts are proportional to it.
        let weight: Int
    }

    struct Area {
        let name: String
        /// 2-digit province prefixes the area covers.
        let provinces: [String]
        let cities: [City]
    }

    struct Division {
        let name: String
        let areas: [Area]
    }

    /// A city with at least this weight has two salespeople and its own distributor.
    static let bigCityWeight = 9
    /// A city with at least this weight has its own distributor; smaller ones share one per area.
    static let ownDistributorWeight = 10
    /// Small cities of one area that share a distributor, at most.
    static let citiesPerSharedDistributor = 3

    static let divisions: [Division] = [
        Division(
            name: "华北大区",
            areas: [
                Area(
                    name: "京津地区", provinces: ["11", "12"],
                    cities: [
                        City(code: "110100", weight: 22), City(code: "120100", weight: 14),
                    ]),
                Area(
                    name: "冀晋地区", provinces: ["13", "14", "15"],
                    cities: [
                        City(code: "130100", weight: 11), City(code: "130200", weight: 8), City(code: "130600", weight: 9),
                        City(code: "140100", weight: 5), City(code: "150100", weight: 3),
                    ]),
                Area(
                    name: "山东地区", provinces: ["37"],
                    cities: [
                        City(code: "370100", weight: 9), City(code: "370200", weight: 10), City(code: "370600", weight: 7),
                        City(code: "370700", weight: 9),
                    ]),
                Area(
                    name: "河南地区", provinces: ["41"],
                    cities: [
                        City(code: "410100", weight: 13), City(code: "410300", weight: 7), City(code: "411300", weight: 10),
                    ]),
                Area(
                    name: "辽宁地区", provinces: ["21"],
                    cities: [
                        City(code: "210100", weight: 9), City(code: "210200", weight: 7),
                    ]),
                Area(
                    name: "吉黑地区", provinces: ["22", "23"],
                    cities: [
                        City(code: "220100", weight: 9), City(code: "230100", weight: 10), City(code: "230600", weight: 3),
                    ]),
            ]),
        Division(
            name: "华东大区",
            areas: [
                Area(
                    name: "沪苏地区", provinces: ["31", "32"],
                    cities: [
                        City(code: "310100", weight: 25), City(code: "320500", weight: 13), City(code: "320100", weight: 9),
                        City(code: "320200", weight: 7), City(code: "320300", weight: 9),
                    ]),
                Area(
                    name: "浙江地区", provinces: ["33"],
                    cities: [
                        City(code: "330100", weight: 12), City(code: "330200", weight: 9), City(code: "330300", weight: 9),
                    ]),
                Area(
                    name: "安徽地区", provinces: ["34"],
                    cities: [
                        City(code: "340100", weight: 9), City(code: "341200", weight: 8), City(code: "340200", weight: 4),
                    ]),
                Area(
                    name: "江西地区", provinces: ["36"],
                    cities: [
                        City(code: "360100", weight: 6), City(code: "360700", weight: 9),
                    ]),
                Area(
                    name: "福建地区", provinces: ["35"],
                    cities: [
                        City(code: "350100", weight: 8), City(code: "350200", weight: 5), City(code: "350500", weight: 9),
                    ]),
            ]),
        Division(
            name: "华南大区",
            areas: [
                Area(
                    name: "广深地区", provinces: ["44"],
                    cities: [
                        City(code: "440100", weight: 19), City(code: "440300", weight: 18), City(code: "440600", weight: 10),
                        City(code: "441900", weight: 10),
                    ]),
                Area(
                    name: "粤东西地区", provinces: ["44"],
                    cities: [
                        City(code: "440500", weight: 6), City(code: "440800", weight: 7), City(code: "441300", weight: 6),
                    ]),
                Area(
                    name: "广西地区", provinces: ["45"],
                    cities: [
                        City(code: "450100", weight: 9), City(code: "450300", weight: 5), City(code: "450200", weight: 4),
                    ]),
                Area(
                    name: "海南地区", provinces: ["46"],
                    cities: [
                        City(code: "460100", weight: 3), City(code: "460200", weight: 1),
                    ]),
                Area(
                    name: "湖南地区", provinces: ["43"],
                    cities: [
                        City(code: "430100", weight: 10), City(code: "430400", weight: 7), City(code: "430200", weight: 4),
                    ]),
                Area(
                    name: "湖北地区", provinces: ["42"],
                    cities: [
                        City(code: "420100", weight: 13), City(code: "420500", weight: 4), City(code: "420600", weight: 5),
                    ]),
            ]),
        Division(
            name: "西部大区",
            areas: [
                Area(
                    name: "川渝地区", provinces: ["50", "51"],
                    cities: [
                        City(code: "500100", weight: 25), City(code: "510100", weight: 21), City(code: "510700", weight: 5),
                    ]),
                Area(
                    name: "西北地区", provinces: ["61", "62", "64", "63", "65"],
                    cities: [
                        City(code: "610100", weight: 13), City(code: "620100", weight: 4), City(code: "640100", weight: 3),
                        City(code: "630100", weight: 2), City(code: "650100", weight: 4),
                    ]),
                Area(
                    name: "云贵地区", provinces: ["53", "52"],
                    cities: [
                        City(code: "530100", weight: 8), City(code: "520100", weight: 6), City(code: "520300", weight: 7),
                    ]),
            ]),
    ]
}

import FullChainTabular

/// A small deterministic random number generator (SplitMix64) so fuzz-style tests are repeatable.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SeededGenerator {
    /// `count` random bytes.
    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}

/// A table of stores with Chinese text, used by several tests.
let chineseStores = Table(
    header: ["门店名称", "地址", "类型", "电话"],
    rows: [
        ["朝阳门店", "北京市朝阳区建国路88号", "便利店", "010-12345678"],
        ["浦东店", "上海市浦东新区世纪大道100号", "超市", "+86 21 5555 0000"],
        ["天河店", "广州市天河区天河路385号", "便利店", ""],
    ]
)

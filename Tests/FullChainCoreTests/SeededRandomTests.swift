import FullChainCore
import Testing

@Suite("SeededRandom")
struct SeededRandomTests {
    @Test("SplitMix64 matches the published reference sequence")
    func splitMix() {
        var state: UInt64 = 1_234_567
        let values = (0..<5).map { _ in SeededRandom.splitMix64(&state) }
        #expect(
            values == [
                6_457_827_717_110_365_317, 3_203_168_211_198_807_973, 9_817_491_932_198_370_423,
                4_593_380_528_125_082_431, 16_408_922_859_458_223_821,
            ])
    }

    @Test("xoshiro256** seeded by SplitMix64 gives fixed values")
    func xoshiro() {
        var random = SeededRandom(seed: 42)
        #expect([random.next(), random.next(), random.next()] == [1_546_998_764_402_558_742, 6_990_951_692_964_543_102, 12_544_586_762_248_559_009])
    }

    @Test("the same seed gives the same sequence; another seed or stream does not")
    func reproducible() {
        var a = SeededRandom(seed: 7), b = SeededRandom(seed: 7), c = SeededRandom(seed: 8)
        let first = (0..<100).map { _ in a.next() }
        #expect(first == (0..<100).map { _ in b.next() })
        #expect(first != (0..<100).map { _ in c.next() })
        var s1 = SeededRandom(seed: 7, stream: 1), s2 = SeededRandom(seed: 7, stream: 2)
        #expect(s1.next() != s2.next())
    }

    @Test("bounded integers stay in range and cover it")
    func bounded() {
        var random = SeededRandom(seed: 1)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<7_000 {
            let value = random.int(below: 7)
            #expect((0..<7).contains(value))
            counts[value] += 1
        }
        #expect(counts.allSatisfy { (800...1_200).contains($0) }, "\(counts)")
        #expect(random.int(below: 1) == 0)
        #expect(random.int(below: 0) == 0)
        for _ in 0..<1_000 {
            #expect((-3...3).contains(random.int(in: -3...3)))
        }
    }

    @Test("unit doubles lie in [0, 1) with mean near one half")
    func unit() {
        var random = SeededRandom(seed: 2)
        var sum = 0.0
        for _ in 0..<10_000 {
            let value = random.unit()
            #expect(value >= 0 && value < 1)
            sum += value
        }
        #expect(abs(sum / 10_000 - 0.5) < 0.02)
    }

    @Test("Gaussian pairs have mean 0 and standard deviation 1")
    func gaussian() {
        var random = SeededRandom(seed: 3)
        var values: [Double] = []
        for _ in 0..<10_000 {
            let (a, b) = random.gaussianPair()
            values += [a, b]
        }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        #expect(abs(mean) < 0.03)
        #expect(abs(variance - 1) < 0.05)
        #expect(values.allSatisfy { $0.isFinite })
    }

    @Test("weighted choice follows cumulative weights")
    func weighted() {
        var random = SeededRandom(seed: 4)
        var counts = [0, 0, 0]
        for _ in 0..<10_000 { counts[random.index(cumulative: [1, 1, 4])] += 1 }
        #expect(counts[1] == 0)
        #expect((2_200...2_800).contains(counts[0]), "\(counts)")
        #expect(counts[0] + counts[2] == 10_000)
    }

    @Test("shuffle permutes, reproducibly")
    func shuffle() {
        var a = SeededRandom(seed: 5), b = SeededRandom(seed: 5)
        var x = Array(0..<100), y = Array(0..<100)
        a.shuffle(&x)
        b.shuffle(&y)
        #expect(x == y)
        #expect(x != Array(0..<100))
        #expect(x.sorted() == Array(0..<100))
    }
}

/// A campaign's draw: one roll in a million picks a tier by its chance, or nothing.
///
/// Servers draw with `SystemRandomNumberGenerator` (the operating system's cryptographically
/// secure source); tests pass a seeded generator.
public enum PrizeDraw {
    public static let rolls = 1_000_000

    /// The tier a roll in `0..<rolls` falls in (tiers take consecutive slices by their chance), or nil.
    public static func tier(forRoll roll: Int, in tiers: [PrizeTier]) -> Int? {
        var upper = 0
        for (index, tier) in tiers.enumerated() {
            upper += tier.ppm
            if roll < upper { return index }
        }
        return nil
    }

    /// Draws a tier with the given source of randomness.
    public static func draw(_ tiers: [PrizeTier], using random: inout some RandomNumberGenerator) -> Int? {
        tier(forRoll: Int.random(in: 0..<rolls, using: &random), in: tiers)
    }
}

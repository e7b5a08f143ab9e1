/// Colour palettes as CSS hex strings (`#rrggbb`).
///
/// `categorical` is the cycle used for series without an explicit colour (the ten Tableau
/// colours of matplotlib's `tab10`). `sequential(count:scheme:)` samples a perceptually ordered
/// colour map, for families of curves indexed by an ordered parameter such as temperature.
public enum PlotPalette {
    /// Ten well-separated colours (matplotlib `tab10`).
    public static let categorical: [String] = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ]

    /// Ordered colour maps, given by five equally spaced anchors and interpolated linearly in sRGB.
    public enum SequentialScheme: Sendable, CaseIterable {
        /// Dark purple → teal → yellow (matplotlib `viridis`).
        case viridis
        /// Dark blue → magenta → yellow (matplotlib `plasma`).
        case plasma
        /// Blue → grey → red (Moreland's diverging cool-warm map), e.g. cold → hot.
        case coolWarm

        var anchors: [UInt32] {
            switch self {
            case .viridis: [0x440154, 0x3b528b, 0x21918c, 0x5ec962, 0xfde725]
            case .plasma: [0x0d0887, 0x7e03a8, 0xcc4778, 0xf89540, 0xf0f921]
            case .coolWarm: [0x3b4cc0, 0x8db0fe, 0xdddddd, 0xf49a7b, 0xb40426]
            }
        }

        /// The part of the map that is used: the light yellow ends of viridis and plasma are
        /// nearly invisible on white, so they stop at 90 %.
        var upperEnd: Double {
            self == .coolWarm ? 1 : 0.9
        }
    }

    /// `count` colours evenly spaced along `scheme`, first = low end of the map.
    /// One colour is the low end; zero gives an empty array.
    public static func sequential(count: Int, scheme: SequentialScheme = .viridis) -> [String] {
        precondition(count >= 0, "colour count must be non-negative, got \(count)")
        return (0..<count).map { index in
            let t = count == 1 ? 0 : Double(index) / Double(count - 1) * scheme.upperEnd
            return color(at: t, in: scheme)
        }
    }

    /// The colour at position `t` ∈ [0, 1] of `scheme` (clamped).
    public static func color(at t: Double, in scheme: SequentialScheme) -> String {
        let anchors = scheme.anchors
        let position = min(max(t.isFinite ? t : 0, 0), 1) * Double(anchors.count - 1)
        let lower = min(Int(position), anchors.count - 2)
        let fraction = position - Double(lower)
        var channels: [Int] = []
        for shift in [16, 8, 0] as [UInt32] {
            let a = Double((anchors[lower] >> shift) & 0xff)
            let b = Double((anchors[lower + 1] >> shift) & 0xff)
            channels.append(Int((a + (b - a) * fraction).rounded()))
        }
        return "#" + channels.map { channel in
            let hex = String(channel, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
    }
}

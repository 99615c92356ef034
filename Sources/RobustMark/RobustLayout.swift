/// The geometry of the robust layer, in *frame units*: an image is seen at the scale where
/// its shorter side is ``frameShortSide`` units, so that resizing the image changes nothing
/// in frame units and the detector never needs to be told a resize factor.
///
/// The mark is a grid of ``cell``-unit cells, repeated every ``tileCells`` cells in both
/// directions from the image's top-left corner. Each cell holds +1 or -1: a keyed chip for
/// the pilot cells (what the detector synchronises on), the chip times one coded payload
/// bit for the data cells. Cropping moves the grid's phase, which the detector finds from
/// the pilots; what changes the grid's size or shape in a copy (margins, a crop across the
/// shorter side, a turn, a squeeze) the detector reads from the copy (`TileLattice`).
enum RobustLayout {
    /// The shorter side of an image, in frame units.
    static let frameShortSide = 400
    /// Cell size in frame units.
    static let cell = 8
    /// Cells per tile side: the pattern repeats every `cell * tileCells` units.
    static let tileCells = 24
    static let cellsPerTile = tileCells * tileCells
    /// One cell in four is a pilot.
    static let pilotCount = cellsPerTile / 4
    static let dataCount = cellsPerTile - pilotCount

    /// Payload: the identifier and its authentication tag.
    static let idBits = 64
    static let tagBits = 40
    static let infoBits = idBits + tagBits
    /// Coded bits: rate-1/2 convolutional code with its 6 tail bits.
    static let codedBits = 2 * (infoBits + ConvolutionalCode.memory)

    /// The detector works at half the frame (shorter side 200 pixels): a cell is 4 pixels
    /// there, a tile 96.
    static let detectionScale = 2
    static let detectionShortSide = frameShortSide / detectionScale
    static let detectionCell = cell / detectionScale
    static let detectionTile = detectionCell * tileCells
}

/// One code of a printout, for a QR symbol and the text printed under it.
extension CodePrintout {
    /// The serials a kind of code runs over in the batch: units, or cases.
    public func serials(of kind: ScanCode.Kind) -> Range<Int> {
        0..<(kind == .unit ? batch.quantity : batch.caseCount)
    }

    /// A unit's or case's code as people read it: 26 symbols.
    public func codeText(_ kind: ScanCode.Kind, serial: Int) -> String {
        signer.text(for: kind == .unit ? batch.unitCode(serial) : batch.caseCode(serial))
    }

    /// What a code's QR symbol holds: a unit's URL exactly as this printout's lines end with it;
    /// a case's code text, as the csv printout's case column has it (cases have no URL).
    public func qrContent(_ kind: ScanCode.Kind, serial: Int) -> String {
        guard kind == .unit else { return codeText(.case, serial: serial) }
        var line: [UInt8] = []
        render(serial..<serial + 1, into: &line)
        // A txt line is the URL; a csv line ends with it. Either way, the last field before the newline.
        let fields = line.dropLast().split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        return String(decoding: fields.last ?? [], as: UTF8.self)
    }
}

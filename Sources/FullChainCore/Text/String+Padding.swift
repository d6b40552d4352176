extension String {
    /// The text with zeros in front, up to `length` characters.
    public func leftPadded(to length: Int) -> String { String(repeating: "0", count: max(0, length - count)) + self }
}

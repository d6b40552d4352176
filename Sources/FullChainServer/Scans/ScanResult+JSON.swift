import FullChainApp
import FullChainCore
import Hummingbird
import NIOCore

/// The scan answer written straight into a buffer: the public scan path is the hottest route,
/// and this is what `JSONEncoder` would write, minus its reflection.
extension ScanResult {
    func jsonResponse() -> Response {
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: jsonBuffer()))
    }

    func jsonBuffer() -> ByteBuffer {
        var out = ByteBuffer()
        out.reserveCapacity(512)
        out.writeStaticString(#"{"authentic":"#)
        out.writeStaticString(authentic ? "true" : "false")
        out.writeStaticString(#","status":"#)
        out.writeJSONString(status.rawValue)
        out.writeStaticString(#","firstScan":"#)
        out.writeStaticString(firstScan ? "true" : "false")
        out.writeStaticString(#","scanCount":"#)
        out.writeString(String(scanCount))
        out.writeStaticString(#","firstScannedAt":"#)
        out.writeString(String(firstScannedAt))
        out.writeStaticString(#","firstPlace":"#)
        out.writeJSONString(firstPlace)
        out.writeStaticString(#","product":"#)
        if let product {
            out.writeStaticString(#"{"sku":"#)
            out.writeJSONString(product.sku)
            out.writeStaticString(#","name":"#)
            out.writeJSONString(product.name)
            out.writeStaticString("}")
        } else {
            out.writeStaticString("null")
        }
        out.writeStaticString(#","store":"#)
        if let store {
            out.writeStaticString(#"{"id":"#)
            out.writeString(String(store.id))
            out.writeStaticString(#","name":"#)
            out.writeJSONString(store.name)
            out.writeStaticString(#","address":"#)
            out.writeJSONString(store.address)
            out.writeStaticString("}")
        } else {
            out.writeStaticString("null")
        }
        out.writeStaticString(#","countsAsSale":"#)
        out.writeStaticString(countsAsSale ? "true" : "false")
        out.writeStaticString(#","code":"#)
        out.writeJSONString(code)
        out.writeStaticString(#","prize":"#)
        if let prize {
            out.writeStaticString(#"{"campaignID":"#)
            out.writeString(String(prize.campaignID))
            out.writeStaticString(#","campaign":"#)
            out.writeJSONString(prize.campaign)
            out.writeStaticString(#","outcome":"#)
            out.writeJSONString(prize.outcome.rawValue)
            out.writeStaticString(#","tier":"#)
            out.writeJSONString(prize.tier)
            out.writeStaticString(#","kind":"#)
            out.writeJSONString(prize.kind?.rawValue)
            out.writeStaticString(#","amountFen":"#)
            out.writeJSONInteger(prize.amountFen)
            out.writeStaticString(#","points":"#)
            out.writeJSONInteger(prize.points)
            out.writeStaticString(#","couponCode":"#)
            out.writeJSONString(prize.couponCode)
            out.writeStaticString(#","underReview":"#)
            out.writeStaticString(prize.underReview ? "true" : "false")
            out.writeStaticString("}")
        } else {
            out.writeStaticString("null")
        }
        out.writeStaticString(#","signedIn":"#)
        out.writeStaticString(signedIn ? "true" : "false")
        out.writeStaticString(#","cashPaid":"#)
        out.writeStaticString(cashPaid ? "true" : "false")
        out.writeStaticString("}")
        return out
    }
}

extension ByteBuffer {
    /// A JSON string literal (quotes, backslashes and control characters escaped), or `null`.
    mutating func writeJSONString(_ text: String?) {
        guard let text else {
            writeStaticString("null")
            return
        }
        writeInteger(UInt8(ascii: "\""))
        var plain = true
        for byte in text.utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            plain = false
            break
        }
        if plain {
            writeString(text)
        } else {
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\""): writeStaticString(#"\""#)
                case UInt8(ascii: "\\"): writeStaticString(#"\\"#)
                case 0x0A: writeStaticString(#"\n"#)
                case 0x0D: writeStaticString(#"\r"#)
                case 0x09: writeStaticString(#"\t"#)
                case ..<0x20:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    writeBytes([UInt8(ascii: "\\"), UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
                default: writeInteger(byte)
                }
            }
        }
        writeInteger(UInt8(ascii: "\""))
    }

    /// An integer, or `null`.
    mutating func writeJSONInteger(_ value: Int64?) {
        guard let value else {
            writeStaticString("null")
            return
        }
        writeString(String(value))
    }

    /// A finite number in Swift's shortest round-trip form (valid JSON), or `null`.
    mutating func writeJSONNumber(_ value: Double?) {
        guard let value, value.isFinite else {
            writeStaticString("null")
            return
        }
        writeString(value.description)
    }
}

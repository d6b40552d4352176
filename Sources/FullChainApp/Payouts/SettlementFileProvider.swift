import Foundation
public import FullChainCore
import FullChainStorage
import Synchronization

/// For brands that pay consumers by other means: each payout becomes one line of a CSV file
/// per business day (`payouts-YYYY-MM-DD.csv`: bill number, time, recipient, amount, campaign),
/// written and flushed to disk before it counts as paid. A bill number is written once, however
/// often it is sent.
public final class SettlementFileProvider: PayoutProvider {
    private let directory: URL
    /// Bill numbers already in the directory's files, read once.
    private let written: Mutex<Set<String>?>

    public init(directory: String) throws {
        self.directory = URL(fileURLWithPath: directory, isDirectory: true)
        try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        written = Mutex(nil)
    }

    public var merchants: [String] { ["settlement-file"] }

    public func send(_ payout: Payout, to recipient: String) async -> PayoutAnswer {
        guard let bill = payout.billNumber else { return .refused(reason: "no_bill_number") }
        let now = currentMillis()
        let day = BusinessDay.day(ofMillis: now)
        do {
            return try written.withLock { (state: inout Set<String>?) throws -> PayoutAnswer in
                var bills = try state ?? loadBills()
                defer { state = bills }
                guard !bills.contains(bill) else { return .paid(reference: bill) }
                let file = directory.appendingPathComponent("payouts-\(BusinessDay.date(ofDay: day)).csv")
                if !FileManager.default.fileExists(atPath: file.path) {
                    guard FileManager.default.createFile(atPath: file.path, contents: Data("bill_no,paid_at,recipient,amount_fen,campaign_id\n".utf8))
                    else {
                        return .unknown(reason: "cannot_create_file")
                    }
                }
                let handle = try FileHandle(forWritingTo: file)
                defer { try? handle.close() }
                try handle.seekToEnd()
                let line =
                    [
                        bill, ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(now) / 1000)), Self.field(recipient),
                        String(payout.amountFen), String(payout.campaignID),
                    ].joined(separator: ",") + "\n"
                try handle.write(contentsOf: Data(line.utf8))
                try handle.synchronize()
                bills.insert(bill)
                return .paid(reference: bill)
            }
        } catch {
            return .unknown(reason: "settlement_file: \(error)")
        }
    }

    public func query(_ payout: Payout) async -> PayoutAnswer {
        guard let bill = payout.billNumber else { return .notFound }
        do {
            return try written.withLock { (state: inout Set<String>?) throws -> PayoutAnswer in
                let bills = try state ?? loadBills()
                state = bills
                return bills.contains(bill) ? .paid(reference: bill) : .notFound
            }
        } catch {
            return .unknown(reason: "settlement_file: \(error)")
        }
    }

    public func shutdown() async {}

    /// The bill numbers (first column) of every settlement file in the directory.
    private func loadBills() throws -> Set<String> {
        var bills = Set<String>()
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) where name.hasPrefix("payouts-") && name.hasSuffix(".csv") {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            for line in text.split(separator: "\n").dropFirst() {
                if let bill = line.split(separator: ",", maxSplits: 1).first { bills.insert(String(bill)) }
            }
        }
        return bills
    }

    /// A CSV field: quoted when it holds a comma, a quote or a line break; a leading formula sign neutralised.
    private static func field(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

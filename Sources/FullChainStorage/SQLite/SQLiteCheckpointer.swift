import GRDB
public import ServiceLifecycle

/// Copies committed pages from the write-ahead log back into the database file on a connection
/// of its own, so a commit never waits for a checkpoint (the copy and its fsync): left to
/// itself, SQLite makes whichever commit crosses 1,000 pages of log do one. While this service
/// runs, the writer's automatic checkpoints are off. Passive checkpoints follow the writer
/// without blocking it; once the log has grown past `restartFrames`, a RESTART checkpoint
/// briefly holds off the next commit so the log starts over instead of growing.
public struct SQLiteCheckpointer: Service {
    let database: SQLiteDatabase
    let interval: Duration
    let restartFrames: Int

    public init(database: SQLiteDatabase, interval: Duration = .milliseconds(25), restartFrames: Int = 16_384) {
        self.database = database
        self.interval = interval
        self.restartFrames = restartFrames
    }

    public func run() async throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        let connection = try DatabaseQueue(path: database.pool.path, configuration: configuration)
        try setWriterCheckpoints(0)
        // The writer checkpoints for itself again however this ends (its pool may outlive the service).
        defer { try? setWriterCheckpoints(1_000) }
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await Task.sleep(for: interval)
            do {
                try await checkpoint(connection)
            } catch  where Task.isCancelled {
                return
            }
        }
        try lastCheckpoint(connection)
    }

    /// A last passive checkpoint, made also when the service was cancelled (an async database
    /// call would refuse to start then).
    private func lastCheckpoint(_ connection: DatabaseQueue) throws {
        do {
            _ = try connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
        } catch let error as DatabaseError where Self.isBusy(error) {
            return
        }
    }

    /// The writer's automatic checkpoint threshold in pages (0 for none).
    private func setWriterCheckpoints(_ pages: Int) throws {
        try database.pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = \(pages)") }
    }

    /// One passive checkpoint, and a restarting one when the log got long. Another process's
    /// checkpoint in progress (another server on the same file) leaves this one for the next turn.
    func checkpoint(_ connection: DatabaseQueue) async throws {
        do {
            let frames = try await connection.writeWithoutTransaction { db in try db.checkpoint(.passive).walFrameCount }
            if frames > restartFrames {
                _ = try await connection.writeWithoutTransaction { db in try db.checkpoint(.restart) }
            }
        } catch let error as DatabaseError where Self.isBusy(error) {
            return
        }
    }

    /// Another connection's checkpoint or write holds the file: this one waits for the next turn.
    private static func isBusy(_ error: DatabaseError) -> Bool {
        error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED
    }
}

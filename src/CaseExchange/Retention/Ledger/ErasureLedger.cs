using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace CaseExchange.Retention.Ledger;

public sealed class ErasureLedgerOptions
{
    public const string Section = "ErasureLedger";

    /// <summary>Folder outside the database (and outside its backups) that holds the ledger file; none: no ledger.</summary>
    public string? Directory { get; set; }
}

/// <summary>
/// One erasure, as the ledger keeps it: only what is needed to erase again (council, situation, pseudonym, cause,
/// instant, who ordered it) — never a name, never the order's free-text reference.
/// </summary>
public sealed record ErasureLedgerEntry(
    long Sequence, string Council, Guid SituationId, string Pseudonym, string Cause, Guid? OrderedBy, DateTimeOffset ErasedAt,
    string Previous, string Hash)
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string ComputeHash(long sequence, string council, Guid situationId, string pseudonym, string cause, Guid? orderedBy,
        DateTimeOffset erasedAt, string previous)
    {
        // Length-prefixed fields: no two different entries share a canonical form.
        var canonical = new StringBuilder();
        foreach (var field in new[]
                 {
                     sequence.ToString(CultureInfo.InvariantCulture), council, situationId.ToString("D"), pseudonym, cause,
                     orderedBy?.ToString("D") ?? "", erasedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture), previous,
                 })
            canonical.Append(field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('|');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString()))).ToLowerInvariant();
    }

    public string ExpectedHash => ComputeHash(Sequence, Council, SituationId, Pseudonym, Cause, OrderedBy, ErasedAt, Previous);
}

public sealed record ErasureLedgerBreak(int Line, string Detail);

/// <summary>What a reading of the ledger found: the entries it could parse, and every broken link (by line number).</summary>
public sealed record ErasureLedgerReport(string Path, IReadOnlyList<ErasureLedgerEntry> Entries, IReadOnlyList<ErasureLedgerBreak> Breaks)
{
    public bool Intact => Breaks.Count == 0;
    public string HeadHash => Entries.Count == 0 ? ErasureLedgerEntry.Genesis : Entries[^1].Hash;

    public string Describe()
    {
        var lines = new List<string>
        {
            $"Ledger:      {Path}",
            $"Entries:     {Entries.Count}",
            $"Head:        #{(Entries.Count == 0 ? 0 : Entries[^1].Sequence)} {HeadHash}",
            Intact ? "Result:      INTACT" : $"Result:      BROKEN ({Breaks.Count} broken links)",
        };
        lines.AddRange(Breaks.Select(b => $"  line {b.Line}: {b.Detail}"));
        return string.Join(Environment.NewLine, lines);
    }
}

/// <summary>
/// The erasure ledger: every erasure is also appended, once committed, to a hash-chained file kept outside the
/// database, so that a database restored from a backup older than an erasure can be erased again before it serves
/// anything (<see cref="ErasureLedgerReplay"/>). Each line is a JSON entry whose SHA-256 covers its fields and the
/// previous line's hash: a line removed or altered breaks the chain at that line.
/// </summary>
public sealed class ErasureLedger(IOptions<ErasureLedgerOptions> options, ILogger<ErasureLedger> logger)
{
    public const string FileName = "erasure-ledger.jsonl";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private readonly SemaphoreSlim _gate = new(1, 1);

    public bool IsEnabled => !string.IsNullOrWhiteSpace(options.Value.Directory);

    public string Path => System.IO.Path.Combine(
        System.IO.Path.GetFullPath(options.Value.Directory ?? throw new InvalidOperationException("No erasure ledger is configured.")),
        FileName);

    /// <summary>
    /// Appends an erasure, unless the ledger already lists that situation; the line is on disk (fsync) when this returns.
    /// </summary>
    /// <returns>true if a line was appended.</returns>
    public async Task<bool> AppendAsync(string council, Guid situationId, string pseudonym, string cause, Guid? orderedBy,
        DateTimeOffset erasedAt, CancellationToken cancellation = default)
    {
        if (!IsEnabled) return false;
        await _gate.WaitAsync(cancellation);
        try
        {
            System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            await using var file = await OpenExclusiveAsync(cancellation);
            var report = Read(Path, await ReadAllAsync(file, cancellation));
            if (report.Entries.Any(e => e.Council == council && e.SituationId == situationId)) return false;
            if (!report.Intact)
                logger.LogError("The erasure ledger {Path} is broken ({Breaks} broken links): run erasure-ledger verify", Path, report.Breaks.Count);

            var sequence = (report.Entries.Count == 0 ? 0 : report.Entries[^1].Sequence) + 1;
            var previous = report.HeadHash;
            var hash = ErasureLedgerEntry.ComputeHash(sequence, council, situationId, pseudonym, cause, orderedBy, erasedAt, previous);
            var entry = new ErasureLedgerEntry(sequence, council, situationId, pseudonym, cause, orderedBy, erasedAt, previous, hash);
            file.Seek(0, SeekOrigin.End);
            if (file.Length > 0 && !EndsWithNewLine(file)) await file.WriteAsync("\n"u8.ToArray(), cancellation);
            await file.WriteAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(entry, Json) + "\n"), cancellation);
            file.Flush(flushToDisk: true);
            // The head's hash in the logs is an anchor outside the ledger folder: a truncated tail shows against it.
            logger.LogInformation("Erasure ledger line {Sequence} appended ({Pseudonym}, {Cause}): hash {Hash}", sequence, pseudonym, cause, hash);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads and verifies the ledger; an absent file is an empty, intact ledger.</summary>
    public async Task<ErasureLedgerReport> ReadAsync(CancellationToken cancellation = default)
    {
        if (!IsEnabled) return new ErasureLedgerReport("", [], []);
        if (!File.Exists(Path)) return new ErasureLedgerReport(Path, [], []);
        await _gate.WaitAsync(cancellation);
        try
        {
            await using var file = await OpenExclusiveAsync(cancellation);
            return Read(Path, await ReadAllAsync(file, cancellation));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Parses and verifies a ledger's text (pure): every line's hash, sequence and link to the previous line.</summary>
    public static ErasureLedgerReport Read(string path, string text)
    {
        var entries = new List<ErasureLedgerEntry>();
        var breaks = new List<ErasureLedgerBreak>();
        var lines = text.Split('\n');
        var previous = ErasureLedgerEntry.Genesis;
        long expectedSequence = 1;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0) continue;
            ErasureLedgerEntry? entry = null;
            try
            {
                entry = JsonSerializer.Deserialize<ErasureLedgerEntry>(line, Json);
            }
            catch (JsonException)
            {
            }
            if (entry is null || entry.Council is null || entry.Pseudonym is null || entry.Cause is null || entry.Previous is null || entry.Hash is null)
            {
                breaks.Add(new ErasureLedgerBreak(i + 1, "unreadable line"));
                continue;
            }
            if (entry.ExpectedHash != entry.Hash)
                breaks.Add(new ErasureLedgerBreak(i + 1, $"entry #{entry.Sequence} was altered (its hash does not match its content)"));
            else if (entry.Previous != previous)
                breaks.Add(new ErasureLedgerBreak(i + 1, $"entry #{entry.Sequence} does not follow the previous line (a line was removed, reordered or inserted)"));
            else if (entry.Sequence != expectedSequence)
                breaks.Add(new ErasureLedgerBreak(i + 1, $"entry #{entry.Sequence} where #{expectedSequence} was expected"));
            entries.Add(entry);
            previous = entry.Hash;
            expectedSequence = entry.Sequence + 1;
        }
        return new ErasureLedgerReport(path, entries, breaks);
    }

    /// <summary>Copies the ledger, as read now, to <paramref name="destination"/> (for the off-site copy); refuses a broken one.</summary>
    public async Task<ErasureLedgerReport> ExportAsync(string destination, CancellationToken cancellation = default)
    {
        var report = await ReadAsync(cancellation);
        if (!report.Intact) return report;
        var text = string.Concat(report.Entries.Select(e => JsonSerializer.Serialize(e, Json) + "\n"));
        var temporary = destination + ".tmp";
        await File.WriteAllTextAsync(temporary, text, cancellation);
        File.Move(temporary, destination, overwrite: true);
        return report;
    }

    private async Task<FileStream> OpenExclusiveAsync(CancellationToken cancellation)
    {
        // Another process on this host (a command, a second node) may hold the file: wait for it, briefly.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 4096, FileOptions.Asynchronous);
            }
            catch (IOException) when (attempt < 100 && File.Exists(Path))
            {
                await Task.Delay(50, cancellation);
            }
        }
    }

    private static async Task<string> ReadAllAsync(FileStream file, CancellationToken cancellation)
    {
        file.Seek(0, SeekOrigin.Begin);
        using var reader = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        return await reader.ReadToEndAsync(cancellation);
    }

    private static bool EndsWithNewLine(FileStream file)
    {
        file.Seek(-1, SeekOrigin.End);
        var last = file.ReadByte();
        file.Seek(0, SeekOrigin.End);
        return last == '\n';
    }
}

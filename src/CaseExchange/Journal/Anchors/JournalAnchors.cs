using CaseExchange.Hosting;
using System.Globalization;
using System.Text;
using CaseExchange.Http;
using CaseExchange.Journal.Verification;
using Npgsql;

namespace CaseExchange.Journal.Anchors;

/// <summary>One checkpoint as kept outside the database: its position in the checkpoint chain and its hash.</summary>
public sealed record CheckpointAnchor(long Sequence, DateTimeOffset? At, int? ChainCount, string Hash);

/// <summary>How a checkpoint of the exported list differs from the database. Stable codes for programs.</summary>
public static class AnchorDifferenceKinds
{
    public const string Missing = "missing";
    public const string Altered = "altered";
    public const string Reordered = "reordered";

    public static string Explain(string kind) => kind switch
    {
        Missing => "Point de scellement manquant : il figure dans la liste exportée mais plus dans la base.",
        Altered => "Point de scellement modifié : la base en garde un autre à cette position (reconstruit ou remplacé).",
        Reordered => "Point de scellement déplacé : son empreinte se trouve à une autre position dans la base.",
        _ => kind,
    };
}

public sealed record AnchorDifference(string Kind, long Sequence, string ExpectedHash, string? FoundHash, long? FoundAtSequence);

/// <summary>
/// The exported list compared with the database. <see cref="NewSinceExport"/> counts the checkpoints sealed after the
/// last one of the list: expected, not a difference.
/// </summary>
public sealed record AnchorComparison(string Council, bool Matches, int Compared, long DatabaseCount, long NewSinceExport,
    IReadOnlyList<AnchorDifference> Differences);

/// <summary>
/// The outside anchor of the journal: the list of checkpoint hashes that the DPO keeps outside the database (mailed
/// daily, printed, kept by the control body), and its comparison with the checkpoints the database holds now. A
/// checkpoint deleted, rebuilt, replaced or moved after the list was exported is reported, even by someone who also
/// holds the checkpoint key.
/// </summary>
public static class JournalAnchors
{
    public const string Header = "# CaseExchange : points de scellement du journal des accès";
    public const int MaxLines = 1_000_000;

    private static readonly string CheckpointsSql =
        $"select version, data->>'Hash', data->>'At', jsonb_array_length(case when jsonb_typeof(data->'Heads') = 'array' then data->'Heads' else '[]'::jsonb end) " +
        $"from {Database.SchemaName}.mt_events where tenant_id = $1 and stream_id = $2 and type = $3 order by version";

    /// <summary>The council's checkpoints as stored now (position in the chain, hash), oldest first.</summary>
    public static async Task<IReadOnlyList<CheckpointAnchor>> ReadAsync(NpgsqlDataSource dataSource, string council, CancellationToken cancellation)
    {
        var anchors = new List<CheckpointAnchor>();
        await using var command = dataSource.CreateCommand(CheckpointsSql);
        command.Parameters.Add(new NpgsqlParameter { Value = council });
        command.Parameters.Add(new NpgsqlParameter { Value = JournalChains.CheckpointStreamId });
        command.Parameters.Add(new NpgsqlParameter { Value = JournalEventTypes.Checkpoint });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            DateTimeOffset? at = !reader.IsDBNull(2) && DateTimeOffset.TryParse(reader.GetString(2), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var a)
                ? a.ToUniversalTime() : null;
            anchors.Add(new CheckpointAnchor(reader.GetInt64(0), at, reader.GetInt32(3), reader.IsDBNull(1) ? "" : reader.GetString(1)));
        }
        return anchors;
    }

    /// <summary>The text to keep outside: one checkpoint a line, <c>sequence;instant;chains;hash</c>, after a few comment lines.</summary>
    public static string Export(string council, DateTimeOffset exportedAt, IReadOnlyList<CheckpointAnchor> anchors)
    {
        var text = new StringBuilder();
        text.Append(Header).Append('\n');
        text.Append("# conseil : ").Append(council).Append('\n');
        text.Append("# exporté le : ").Append(exportedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append('\n');
        text.Append("# séquence;horodatage;chaînes;empreinte").Append('\n');
        foreach (var a in anchors)
            text.Append(a.Sequence.ToString(CultureInfo.InvariantCulture)).Append(';')
                .Append(a.At?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)).Append(';')
                .Append(a.ChainCount?.ToString(CultureInfo.InvariantCulture)).Append(';')
                .Append(a.Hash).Append('\n');
        return text.ToString();
    }

    /// <summary>
    /// Reads an exported list. Comment and blank lines are skipped; every other line needs a sequence and a 64-hex hash,
    /// sequences increasing. Errors name the line number only: the input is never echoed.
    /// </summary>
    public static bool TryParse(string? text, out IReadOnlyList<CheckpointAnchor> anchors, out string? error)
    {
        anchors = [];
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "La liste des points de scellement est vide.";
            return false;
        }
        var list = new List<CheckpointAnchor>();
        var number = 0;
        long last = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            if (number > MaxLines)
            {
                error = $"La liste dépasse {MaxLines} lignes.";
                return false;
            }
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var fields = line.Split(';');
            if (fields.Length != 4 || !long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) || sequence < 1
                || !JournalHash.TryParse(fields[3], out _))
            {
                error = $"Ligne {number} illisible : attendu « séquence;horodatage;chaînes;empreinte » (empreinte de 64 caractères hexadécimaux).";
                return false;
            }
            if (sequence <= last)
            {
                error = $"Ligne {number} : les séquences doivent être croissantes.";
                return false;
            }
            last = sequence;
            list.Add(new CheckpointAnchor(sequence, null, null, fields[3].ToLowerInvariant()));
        }
        // A list exported before the first checkpoint holds none: it compares as matching.
        anchors = list;
        return true;
    }

    /// <summary>Compares the exported list with the database's checkpoints. Pure: no database, no clock.</summary>
    public static AnchorComparison Compare(string council, IReadOnlyList<CheckpointAnchor> exported, IReadOnlyList<CheckpointAnchor> stored)
    {
        var bySequence = new Dictionary<long, string>();
        var byHash = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var s in stored)
        {
            bySequence.TryAdd(s.Sequence, s.Hash);
            byHash.TryAdd(s.Hash, s.Sequence);
        }
        var differences = new List<AnchorDifference>();
        foreach (var e in exported)
        {
            var found = bySequence.GetValueOrDefault(e.Sequence);
            if (found == e.Hash) continue;
            if (byHash.TryGetValue(e.Hash, out var elsewhere))
                differences.Add(new AnchorDifference(AnchorDifferenceKinds.Reordered, e.Sequence, e.Hash, found, elsewhere));
            else if (found is null)
                differences.Add(new AnchorDifference(AnchorDifferenceKinds.Missing, e.Sequence, e.Hash, null, null));
            else
                differences.Add(new AnchorDifference(AnchorDifferenceKinds.Altered, e.Sequence, e.Hash, found, null));
        }
        var lastExported = exported.Count == 0 ? 0 : exported[^1].Sequence;
        return new AnchorComparison(council, differences.Count == 0, exported.Count, stored.Count,
            stored.LongCount(s => s.Sequence > lastExported), differences);
    }
}

using System.Data;
using System.Text.Json;
using System.Text.Json.Serialization;
using CaseExchange.Hosting;
using CaseExchange.Journal.Checkpoints;
using Npgsql;

namespace CaseExchange.Journal.Verification;

/// <summary>How a chain is broken. Stable codes for programs; <see cref="Explain"/> for people.</summary>
public static class JournalBreakKinds
{
    public const string Altered = "altered";
    public const string Missing = "missing";
    public const string Inserted = "inserted";
    public const string Reordered = "reordered";
    public const string Truncated = "truncated";
    public const string StreamRemoved = "stream-removed";

    public static string Explain(string kind) => kind switch
    {
        Altered => "Entrée modifiée : son contenu ne correspond plus à son empreinte, ou au lien enregistré par l'entrée suivante ou par un point de scellement.",
        Missing => "Entrée manquante : une ou plusieurs entrées de la chaîne ont été supprimées.",
        Inserted => "Entrée insérée : une entrée qui n'appartient pas à la chaîne y a été ajoutée.",
        Reordered => "Entrées réordonnées : les entrées de la chaîne ne sont plus dans leur ordre d'enregistrement.",
        Truncated => "Chaîne tronquée : des entrées scellées par un point de scellement ont disparu de la fin de la chaîne.",
        StreamRemoved => "Chaîne supprimée : une chaîne scellée par un point de scellement a entièrement disparu.",
        _ => kind,
    };
}

/// <summary>
/// The first broken link of one chain. <see cref="ChainId"/> is the checkpoint chain's id when the checkpoint chain
/// itself is broken (then <see cref="Pseudonym"/> is null and <see cref="Sequence"/> is the checkpoint's).
/// </summary>
public sealed record JournalBreak(string Kind, Guid ChainId, Guid? SituationId, string? Pseudonym, long Sequence, string Detail)
{
    public bool InCheckpointChain => ChainId == JournalChains.CheckpointStreamId;
}

public sealed record JournalVerificationReport(
    string Council,
    bool Intact,
    DateTimeOffset VerifiedAt,
    long EntryCount,
    int ChainCount,
    long CheckpointCount,
    int SealedChainCount,
    long UnsealedEntryCount,
    long? LastCheckpointSequence,
    string? LastCheckpointHash,
    JournalBreak? FirstBreak,
    int BrokenChainCount,
    IReadOnlyList<JournalBreak> Breaks);

/// <summary>
/// Verifies a council's access journal from the rows themselves: recomputes every entry's hash and every link of every
/// chain, replays the checkpoint chain to know how far each chain must reach, and reports the first broken link of each
/// broken chain. Reads PostgreSQL directly, in one streamed pass ordered by chain and position; never trusts the chain
/// head documents. Entries appended after the last checkpoint are verified link by link but cannot be proven complete
/// (see <see cref="JournalVerificationReport.UnsealedEntryCount"/>): seal a checkpoint first.
/// </summary>
public sealed class JournalVerifier(NpgsqlDataSource dataSource, TimeProvider? clock = null)
{
    public const int MaxBreaksListed = 100;

    private static readonly string EntriesSql =
        $"select stream_id, version, data from {Database.SchemaName}.mt_events " +
        "where tenant_id = $1 and type = $2 order by stream_id, version";

    private static readonly string CheckpointsSql =
        $"select version, data from {Database.SchemaName}.mt_events " +
        "where tenant_id = $1 and stream_id = $2 and type = $3 order by version";

    public async Task<JournalVerificationReport> VerifyAsync(string council, CancellationToken cancellation = default)
    {
        var breaks = new List<JournalBreak>();
        var checkpoints = await ReplayCheckpointsAsync(council, breaks, cancellation);

        long entryCount = 0, unsealedEntries = 0;
        int chainCount = 0, sealedChains = 0;
        var rows = new List<ChainRow>(64);
        var current = Guid.Empty;
        ChainIdentity identity = default;

        void EndChain()
        {
            if (rows.Count == 0) return;
            chainCount++;
            var sealedHead = checkpoints.Heads.Remove(current, out var head) ? head : (SealedHead?)null;
            if (sealedHead is not null) sealedChains++;
            unsealedEntries += rows[^1].Version - Math.Min(sealedHead?.Sequence ?? 0, rows[^1].Version);
            if (ChainAnalysis.FirstBreak(current, rows, sealedHead) is { } found)
                breaks.Add(new JournalBreak(found.Kind, current, identity.SituationId, identity.Pseudonym, found.Sequence, found.Detail));
            rows.Clear();
            identity = default;
        }

        await using (var command = dataSource.CreateCommand(EntriesSql))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = council });
            command.Parameters.Add(new NpgsqlParameter { Value = JournalEventTypes.Entry });
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                var streamId = reader.GetGuid(0);
                var version = reader.GetInt64(1);
                var data = reader.GetFieldValue<byte[]>(2);
                if (streamId != current)
                {
                    EndChain();
                    current = streamId;
                }
                entryCount++;
                rows.Add(ReadEntry(council, streamId, version, data, ref identity));
            }
        }
        EndChain();

        foreach (var (chainId, head) in checkpoints.Heads.OrderBy(h => h.Key))
            breaks.Add(new JournalBreak(JournalBreakKinds.StreamRemoved, chainId, head.SituationId, head.Pseudonym, head.Sequence,
                $"La chaîne scellée jusqu'à l'entrée {head.Sequence} (point de scellement {head.CheckpointSequence}) n'existe plus."));

        // Report order: the checkpoint chain first, then chains by id: the same journal always gives the same report.
        var ordered = breaks.OrderBy(b => b.InCheckpointChain ? 0 : 1).ThenBy(b => b.ChainId).ToList();
        return new JournalVerificationReport(council, ordered.Count == 0, (clock ?? TimeProvider.System).GetUtcNow(),
            entryCount, chainCount, checkpoints.Count, sealedChains, unsealedEntries,
            checkpoints.LastSequence, checkpoints.LastHash, ordered.FirstOrDefault(), ordered.Count, [.. ordered.Take(MaxBreaksListed)]);
    }

    private static ChainRow ReadEntry(string council, Guid streamId, long version, byte[] data, ref ChainIdentity identity)
    {
        AccessJournalled? entry;
        try
        {
            entry = JsonSerializer.Deserialize(data, JournalJson.Default.AccessJournalled);
        }
        catch (JsonException)
        {
            entry = null;
        }
        if (entry is null || entry.Format != JournalHashing.EntryFormat
                          || !JournalHash.TryParse(entry.Hash, out var stored) || !JournalHash.TryParse(entry.PreviousHash, out var previous))
            return new ChainRow(version, Sequence: -1, default, default, default, Readable: false, InChain: true);

        if (identity.Pseudonym is null) identity = new ChainIdentity(entry.SituationId, entry.Pseudonym);
        var computed = JournalHashing.OfEntry(council, entry, previous);
        return new ChainRow(version, entry.Sequence, stored, computed, previous, Readable: true,
            InChain: JournalChains.ChainOf(entry.SituationId) == streamId);
    }

    private async Task<CheckpointReplay> ReplayCheckpointsAsync(string council, List<JournalBreak> breaks, CancellationToken cancellation)
    {
        var replay = new CheckpointReplay();
        var rows = new List<ChainRow>();
        var sealedHeads = new List<IReadOnlyList<SealedChainHead>?>();
        await using (var command = dataSource.CreateCommand(CheckpointsSql))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = council });
            command.Parameters.Add(new NpgsqlParameter { Value = JournalChains.CheckpointStreamId });
            command.Parameters.Add(new NpgsqlParameter { Value = JournalEventTypes.Checkpoint });
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                var version = reader.GetInt64(0);
                var data = reader.GetFieldValue<byte[]>(1);
                JournalCheckpointSealed? checkpoint;
                try
                {
                    checkpoint = JsonSerializer.Deserialize(data, JournalJson.Default.JournalCheckpointSealed);
                }
                catch (JsonException)
                {
                    checkpoint = null;
                }
                replay.Count++;
                if (checkpoint is null || checkpoint.Format != JournalHashing.CheckpointFormat || checkpoint.Heads is null
                    || !JournalHash.TryParse(checkpoint.Hash, out var stored) || !JournalHash.TryParse(checkpoint.PreviousHash, out var previous))
                {
                    rows.Add(new ChainRow(version, -1, default, default, default, Readable: false, InChain: true));
                    sealedHeads.Add(null);
                    continue;
                }
                var computed = JournalHashing.OfCheckpoint(council, checkpoint, previous);
                rows.Add(new ChainRow(version, checkpoint.Sequence, stored, computed, previous, Readable: true, InChain: true));
                sealedHeads.Add(stored == computed ? checkpoint.Heads : null);
                replay.LastSequence = version;
                replay.LastHash = checkpoint.Hash;
            }
        }

        if (ChainAnalysis.FirstBreak(JournalChains.CheckpointStreamId, rows, sealedHead: null) is { } found)
            breaks.Add(new JournalBreak(found.Kind, JournalChains.CheckpointStreamId, null, null, found.Sequence,
                $"Chaîne des points de scellement : {found.Detail}"));

        // Every checkpoint whose own hash holds is evidence of how far its chains reached, even after a break.
        for (var i = 0; i < rows.Count; i++)
        {
            if (sealedHeads[i] is not { } heads) continue;
            foreach (var head in heads)
            {
                if (!JournalHash.TryParse(head.Hash, out var hash)) continue;
                if (!replay.Heads.TryGetValue(head.ChainId, out var known) || known.Sequence <= head.Sequence)
                    replay.Heads[head.ChainId] = new SealedHead(head.Sequence, hash, head.SituationId, head.Pseudonym, rows[i].Version);
            }
        }
        return replay;
    }

    private sealed class CheckpointReplay
    {
        public Dictionary<Guid, SealedHead> Heads { get; } = [];
        public long Count { get; set; }
        public long? LastSequence { get; set; }
        public string? LastHash { get; set; }
    }

    private record struct ChainIdentity(Guid? SituationId, string? Pseudonym);
}

/// <summary>One row of a chain as the verifier needs it: positions and hashes, nothing else kept.</summary>
public readonly record struct ChainRow(
    long Version, long Sequence, JournalHash Stored, JournalHash Computed, JournalHash Previous, bool Readable, bool InChain);

/// <summary>How far a checkpoint says a chain reached.</summary>
public readonly record struct SealedHead(long Sequence, JournalHash Hash, Guid SituationId, string Pseudonym, long CheckpointSequence);

public readonly record struct ChainBreak(string Kind, long Sequence, string Detail);

/// <summary>The link checks of one chain, on rows ordered by stream version. Pure: no database, no clock.</summary>
public static class ChainAnalysis
{
    public static ChainBreak? FirstBreak(Guid chainId, IReadOnlyList<ChainRow> rows, SealedHead? sealedHead)
    {
        var previous = JournalHash.Genesis;
        var expected = 1L;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (!row.Readable)
                return new(JournalBreakKinds.Altered, row.Version, $"L'entrée {row.Version} est illisible ou son empreinte a été effacée.");
            if (!row.InChain)
                return new(JournalBreakKinds.Inserted, row.Version, $"L'entrée {row.Version} concerne une autre situation que celle de cette chaîne.");
            if (row.Version > expected)
                return new(JournalBreakKinds.Missing, expected,
                    row.Version == expected + 1 ? $"L'entrée {expected} a disparu." : $"Les entrées {expected} à {row.Version - 1} ont disparu.");
            if (row.Sequence > row.Version)
            {
                var movedLater = false;
                for (var j = i + 1; j < rows.Count && !movedLater; j++) movedLater = rows[j].Sequence == row.Version;
                return movedLater
                    ? new(JournalBreakKinds.Reordered, row.Version, $"L'entrée enregistrée en position {row.Sequence} a été déplacée en position {row.Version}.")
                    : new(JournalBreakKinds.Missing, row.Version, $"L'entrée {row.Version} a disparu et les suivantes ont été renumérotées.");
            }
            if (row.Sequence < row.Version)
                return new(JournalBreakKinds.Inserted, row.Version,
                    $"Une entrée a été insérée avant l'entrée enregistrée en position {row.Sequence}, qui se trouve désormais en position {row.Version}.");
            if (row.Computed != row.Stored)
                return new(JournalBreakKinds.Altered, row.Version, $"Le contenu de l'entrée {row.Version} ne correspond plus à son empreinte.");
            if (row.Previous != previous)
                return new(JournalBreakKinds.Altered, row.Version,
                    $"Le lien de l'entrée {row.Version} vers l'entrée précédente est rompu : l'entrée {row.Version - 1} a été modifiée ou remplacée.");
            previous = row.Stored;
            expected = row.Version + 1;
        }

        if (sealedHead is not { } head) return null;
        var last = rows.Count == 0 ? 0 : rows[^1].Version;
        if (last < head.Sequence)
            return new(JournalBreakKinds.Truncated, last + 1,
                $"Le point de scellement {head.CheckpointSequence} atteste {head.Sequence} entrées ; il n'en reste que {last}.");
        for (var i = rows.Count - 1; i >= 0; i--)
        {
            if (rows[i].Version != head.Sequence) continue;
            return rows[i].Stored == head.Hash
                ? null
                : new(JournalBreakKinds.Altered, head.Sequence,
                    $"L'entrée {head.Sequence} ne correspond pas à celle que le point de scellement {head.CheckpointSequence} a attestée : la chaîne a été réécrite.");
        }
        return null;
    }
}

/// <summary>The names under which journal events are stored; pinned, because verification reads the rows by them.</summary>
public static class JournalEventTypes
{
    public const string Entry = "access_journalled";
    public const string Checkpoint = "journal_checkpoint_sealed";
}

/// <summary>Reads journal events as Marten writes them (property names as declared); case-insensitive to be lenient.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(AccessJournalled))]
[JsonSerializable(typeof(JournalCheckpointSealed))]
internal sealed partial class JournalJson : JsonSerializerContext;

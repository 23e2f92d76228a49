using CaseExchange.Hosting;
using System.Data;
using System.Text.Json;
using System.Text.Json.Serialization;
using CaseExchange.Http;
using CaseExchange.Journal.Checkpoints;
using Microsoft.Extensions.Options;
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
    public const string Unauthenticated = "unauthenticated";
    public const string HeadMismatch = "head-mismatch";
    public const string CheckpointMissing = "checkpoint-missing";

    public static string Explain(string kind) => kind switch
    {
        Altered => "Entrée modifiée : son contenu ne correspond plus à son empreinte, ou au lien enregistré par l'entrée suivante ou par un point de scellement.",
        Missing => "Entrée manquante : une ou plusieurs entrées de la chaîne ont été supprimées.",
        Inserted => "Entrée insérée : une entrée qui n'appartient pas à la chaîne y a été ajoutée.",
        Reordered => "Entrées réordonnées : les entrées de la chaîne ne sont plus dans leur ordre d'enregistrement.",
        Truncated => "Chaîne tronquée : des entrées scellées par un point de scellement ont disparu de la fin de la chaîne.",
        StreamRemoved => "Chaîne supprimée : une chaîne scellée par un point de scellement a entièrement disparu.",
        Unauthenticated => "Point de scellement non authentifié : il n'a pas été scellé avec la clé du service (reconstruit, forgé ou copié).",
        CheckpointMissing => "Point de scellement disparu : la chaîne a été scellée plus loin que ce qu'attestent les points de scellement restants (derniers points de scellement supprimés).",
        HeadMismatch => "Tête de chaîne incohérente : la dernière entrée connue à l'ajout ne correspond plus aux entrées (fin de chaîne supprimée ou réécrite).",
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
    long UnkeyedCheckpointCount,
    JournalBreak? FirstBreak,
    int BrokenChainCount,
    IReadOnlyList<JournalBreak> Breaks);

/// <summary>
/// Verifies a council's access journal from the rows themselves: recomputes every entry's hash and every link of every
/// chain, replays the checkpoint chain (each checkpoint authenticated by its keyed MAC) and checks every head that every
/// checkpoint attested, and reports the first broken link of each broken chain. Reads PostgreSQL directly, in one
/// streamed pass ordered by chain and position. The chain head documents are never trusted as evidence of integrity;
/// one that claims an entry its chain no longer holds is reported (a tail deleted or rewritten after the last seal).
/// Entries appended after the last checkpoint are verified link by link but cannot be proven complete
/// (see <see cref="JournalVerificationReport.UnsealedEntryCount"/>): seal a checkpoint first.
/// </summary>
public sealed class JournalVerifier(NpgsqlDataSource dataSource, JournalCheckpointKeys keys, IOptions<JournalOptions> options, TimeProvider? clock = null)
{
    public const int MaxBreaksListed = 100;

    private static readonly string EntriesSql =
        $"select stream_id, version, data from {Database.SchemaName}.mt_events " +
        "where tenant_id = $1 and type = $2 order by stream_id, version";

    private static readonly string CheckpointsSql =
        $"select version, data from {Database.SchemaName}.mt_events " +
        "where tenant_id = $1 and stream_id = $2 and type = $3 order by version";

    private static readonly string HeadsSql =
        $"select id, (data->>'LastSequence')::bigint, data->>'LastHash', (data->>'SealedSequence')::bigint from {Database.SchemaName}.mt_doc_journalchainhead where tenant_id = $1";

    public async Task<JournalVerificationReport> VerifyAsync(string council, CancellationToken cancellation = default)
    {
        var breaks = new List<JournalBreak>();
        // Heads, then checkpoints, then entries: whatever commits meanwhile only makes a later read longer, never shorter.
        var claimedHeads = await ClaimedHeadsAsync(council, cancellation);
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
            var attested = checkpoints.Heads.Remove(current, out var heads) ? heads : [];
            if (attested.Count > 0) sealedChains++;
            var sealedUpTo = attested.Count == 0 ? 0 : attested.Max(h => h.Sequence);
            unsealedEntries += rows[^1].Version - Math.Min(sealedUpTo, rows[^1].Version);
            claimedHeads.Remove(current, out var claimed);
            if ((ChainAnalysis.FirstBreak(current, rows, attested) ?? ChainAnalysis.HeadMismatch(rows, claimed)
                    ?? ChainAnalysis.SealMismatch(sealedUpTo, claimed)) is { } found)
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

        foreach (var (chainId, attested) in checkpoints.Heads.OrderBy(h => h.Key))
        {
            var head = attested.MaxBy(h => h.Sequence);
            breaks.Add(new JournalBreak(JournalBreakKinds.StreamRemoved, chainId, head.SituationId, head.Pseudonym, head.Sequence,
                $"La chaîne scellée jusqu'à l'entrée {head.Sequence} (point de scellement {head.CheckpointSequence}) n'existe plus."));
        }
        foreach (var (chainId, claimed) in claimedHeads.Where(h => !checkpoints.Heads.ContainsKey(h.Key)).OrderBy(h => h.Key))
            breaks.Add(new JournalBreak(JournalBreakKinds.StreamRemoved, chainId, null, null, claimed.Sequence,
                $"La tête de la chaîne atteste {claimed.Sequence} entrées, mais la chaîne n'en a plus aucune."));

        // Report order: the checkpoint chain first, then chains by id: the same journal always gives the same report.
        var ordered = breaks.OrderBy(b => b.InCheckpointChain ? 0 : 1).ThenBy(b => b.ChainId).ToList();
        return new JournalVerificationReport(council, ordered.Count == 0, (clock ?? TimeProvider.System).GetUtcNow(),
            entryCount, chainCount, checkpoints.Count, sealedChains, unsealedEntries,
            checkpoints.LastSequence, checkpoints.LastHash, checkpoints.UnkeyedCount, ordered.FirstOrDefault(), ordered.Count, [.. ordered.Take(MaxBreaksListed)]);
    }

    internal static ChainRow ReadEntry(string council, Guid streamId, long version, byte[] data, ref ChainIdentity identity)
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
        var keyedSeen = false;
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
                if (checkpoint is null || checkpoint.Format is not (JournalHashing.CheckpointFormat or JournalHashing.UnkeyedCheckpointFormat) || checkpoint.Heads is null
                    || !JournalHash.TryParse(checkpoint.Hash, out var stored) || !JournalHash.TryParse(checkpoint.PreviousHash, out var previous))
                {
                    rows.Add(new ChainRow(version, -1, default, default, default, Readable: false, InChain: true));
                    sealedHeads.Add(null);
                    continue;
                }
                var computed = JournalHashing.OfCheckpoint(council, checkpoint, previous);
                rows.Add(new ChainRow(version, checkpoint.Sequence, stored, computed, previous, Readable: true, InChain: true));
                var authentic = stored == computed && Authenticate(council, version, checkpoint, stored, keyedSeen, breaks);
                if (checkpoint.Format == JournalHashing.UnkeyedCheckpointFormat) replay.UnkeyedCount++;
                else keyedSeen = true;
                sealedHeads.Add(authentic ? checkpoint.Heads : null);
                replay.LastSequence = version;
                replay.LastHash = checkpoint.Hash;
            }
        }

        if (ChainAnalysis.FirstBreak(JournalChains.CheckpointStreamId, rows, []) is { } found)
            breaks.Add(new JournalBreak(found.Kind, JournalChains.CheckpointStreamId, null, null, found.Sequence,
                $"Chaîne des points de scellement : {found.Detail}"));

        // Every checkpoint whose own hash holds is evidence of how far its chains reached, even after a break.
        for (var i = 0; i < rows.Count; i++)
        {
            if (sealedHeads[i] is not { } heads) continue;
            foreach (var head in heads)
            {
                if (!JournalHash.TryParse(head.Hash, out var hash)) continue;
                if (!replay.Heads.TryGetValue(head.ChainId, out var attested)) replay.Heads[head.ChainId] = attested = [];
                attested.Add(new SealedHead(head.Sequence, hash, head.SituationId, head.Pseudonym, rows[i].Version));
            }
        }
        return replay;
    }

    /// <summary>
    /// A keyed checkpoint must carry a MAC made with the service's key. An unkeyed (legacy) checkpoint is accepted only
    /// up to Journal:AcceptUnkeyedCheckpointsUpTo and never after a keyed one: otherwise rebuilding the checkpoint chain
    /// in the old format would escape the key.
    /// </summary>
    private bool Authenticate(string council, long version, JournalCheckpointSealed checkpoint, JournalHash hash, bool keyedSeen,
        List<JournalBreak> breaks)
    {
        string? problem;
        if (checkpoint.Format == JournalHashing.UnkeyedCheckpointFormat)
            problem = keyedSeen || version > options.Value.AcceptUnkeyedCheckpointsUpTo
                ? $"Le point de scellement {version} n'a pas de code d'authentification (format ancien), alors que le service n'en accepte pas à cette position."
                : null;
        else if (keys.Find(checkpoint.KeyId) is not { } key)
            problem = $"Le point de scellement {version} est authentifié par une clé inconnue de ce service.";
        else
            problem = key.Verifies(council, hash, checkpoint.Mac)
                ? null
                : $"Le code d'authentification du point de scellement {version} est faux : il n'a pas été scellé par le service.";
        if (problem is null) return true;
        breaks.Add(new JournalBreak(JournalBreakKinds.Unauthenticated, JournalChains.CheckpointStreamId, null, null, version,
            $"Chaîne des points de scellement : {problem}"));
        return false;
    }

    /// <summary>What each chain head document claims: untrusted, but a genuine one is never ahead of its chain.</summary>
    private async Task<Dictionary<Guid, ClaimedHead>> ClaimedHeadsAsync(string council, CancellationToken cancellation)
    {
        var heads = new Dictionary<Guid, ClaimedHead>();
        await using var command = dataSource.CreateCommand(HeadsSql);
        command.Parameters.Add(new NpgsqlParameter { Value = council });
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
            heads[reader.GetGuid(0)] = new ClaimedHead(reader.IsDBNull(1) ? 0 : reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? 0 : reader.GetInt64(3));
        return heads;
    }

    private sealed class CheckpointReplay
    {
        /// <summary>Every head that an authentic checkpoint attested, by chain, in checkpoint order.</summary>
        public Dictionary<Guid, List<SealedHead>> Heads { get; } = [];
        public long UnkeyedCount { get; set; }
        public long Count { get; set; }
        public long? LastSequence { get; set; }
        public string? LastHash { get; set; }
    }

    internal record struct ChainIdentity(Guid? SituationId, string? Pseudonym);
}

/// <summary>What a chain head document says (untrusted): its last entry and how far it was sealed.</summary>
public readonly record struct ClaimedHead(long Sequence, string? Hash, long SealedSequence);

/// <summary>One row of a chain as the verifier needs it: positions and hashes, nothing else kept.</summary>
public readonly record struct ChainRow(
    long Version, long Sequence, JournalHash Stored, JournalHash Computed, JournalHash Previous, bool Readable, bool InChain);

/// <summary>How far a checkpoint says a chain reached.</summary>
public readonly record struct SealedHead(long Sequence, JournalHash Hash, Guid SituationId, string Pseudonym, long CheckpointSequence);

public readonly record struct ChainBreak(string Kind, long Sequence, string Detail);

/// <summary>The link checks of one chain, on rows ordered by stream version. Pure: no database, no clock.</summary>
public static class ChainAnalysis
{
    public static ChainBreak? FirstBreak(Guid chainId, IReadOnlyList<ChainRow> rows, IReadOnlyList<SealedHead> attested)
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

        // Every head every checkpoint attested, not only the latest: a chain rewritten and sealed again still differs
        // from what an earlier checkpoint saw. The links held above, so entry n sits at rows[n - 1].
        var last = rows.Count == 0 ? 0 : rows[^1].Version;
        SealedHead? furthest = null;
        foreach (var head in attested)
            if (head.Sequence > last && (furthest is null || head.Sequence > furthest.Value.Sequence)) furthest = head;
        if (furthest is { } gone)
            return new(JournalBreakKinds.Truncated, last + 1,
                $"Le point de scellement {gone.CheckpointSequence} atteste {gone.Sequence} entrées ; il n'en reste que {last}.");
        ChainBreak? earliest = null;
        foreach (var head in attested)
        {
            if (head.Sequence < 1 || rows[(int)head.Sequence - 1].Stored == head.Hash) continue;
            if (earliest is null || head.Sequence < earliest.Value.Sequence)
                earliest = new(JournalBreakKinds.Altered, head.Sequence,
                    $"L'entrée {head.Sequence} ne correspond pas à celle que le point de scellement {head.CheckpointSequence} a attestée : la chaîne a été réécrite.");
        }
        return earliest;
    }

    /// <summary>
    /// The head document is written in the same transaction as each entry, so a genuine one is never ahead of its chain
    /// and names the hash of the entry it counts. One that is not: the chain's tail was deleted or rewritten (or the
    /// document itself was altered) after the last seal.
    /// </summary>
    public static ChainBreak? HeadMismatch(IReadOnlyList<ChainRow> rows, ClaimedHead? claimed)
    {
        if (claimed is not { } head || head.Sequence < 1) return null;
        var last = rows.Count == 0 ? 0 : rows[^1].Version;
        if (head.Sequence > last)
            return new(JournalBreakKinds.HeadMismatch, last + 1,
                $"La tête de la chaîne atteste {head.Sequence} entrées ; il n'en reste que {last}.");
        if (!JournalHash.TryParse(head.Hash, out var hash) || rows[(int)head.Sequence - 1].Stored != hash)
            return new(JournalBreakKinds.HeadMismatch, head.Sequence,
                $"L'entrée {head.Sequence} ne correspond pas à celle que la tête de la chaîne a enregistrée.");
        return null;
    }

    /// <summary>
    /// The sealer moves a head document's sealed sequence in the same transaction as the checkpoint that seals it, so a
    /// genuine one never claims more than the checkpoints attest: if it does, the last checkpoints were deleted.
    /// </summary>
    public static ChainBreak? SealMismatch(long attestedUpTo, ClaimedHead? claimed) =>
        claimed is { } head && head.SealedSequence > attestedUpTo
            ? new(JournalBreakKinds.CheckpointMissing, head.SealedSequence,
                $"La chaîne a été scellée jusqu'à l'entrée {head.SealedSequence}, mais les points de scellement restants n'attestent que {attestedUpTo} entrées.")
            : null;
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

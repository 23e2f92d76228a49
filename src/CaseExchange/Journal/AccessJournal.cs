using CaseExchange.Http;
using CaseExchange.Protection;
using JasperFx.Events;
using Marten;
using Marten.Metadata;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace CaseExchange.Journal;

/// <summary>An access to journal: everything but the chain position, the instant and the hashes, which the journal sets.</summary>
public sealed record JournalRequest(
    string Action,
    Guid SituationId,
    string Pseudonym,
    Guid? MemberId,
    string Subject,
    string? Purpose,
    string? ArchiveReasonCode,
    SealedText? ArchiveReasonDetail,
    bool Granted,
    string? Refusal);

/// <summary>
/// The head of one chain, kept in the same transaction as each append so that the next append and the checkpoint
/// sealer read it in one lookup. A convenience only: verification never trusts it.
/// </summary>
public sealed class JournalChainHead : ITenanted
{
    public Guid Id { get; set; }
    public Guid SituationId { get; set; }
    public string Pseudonym { get; set; } = "";
    public long LastSequence { get; set; }
    public string LastHash { get; set; } = "";
    public DateTimeOffset LastAt { get; set; }

    /// <summary>The last sequence of this chain that a checkpoint covers.</summary>
    public long SealedSequence { get; set; }

    /// <summary>The hash of that entry: the sealer reads the chain from there and checks it still links.</summary>
    public string SealedHash { get; set; } = "";

    public string? TenantId { get; set; }
}

/// <summary>
/// Appends entries to the council's access journal and returns only once the entry is committed. Entries are committed
/// by <see cref="JournalCommitter"/>, which coalesces concurrent appends into one transaction per round; appends to one
/// chain queue behind a PostgreSQL transaction lock on that chain (another node's rounds), so each reads the head its
/// predecessor committed. Should the head still have moved (a stale head document), the round is tried again from the
/// streams themselves. If the entry cannot be committed, the caller gets a 503 problem and must return nothing (fail
/// closed).
/// </summary>
public sealed class AccessJournal(JournalCommitter committer)
{
    public const int MaxAttempts = JournalCommitter.MaxAttempts;

    public Task<AccessJournalled> AppendAsync(string council, JournalRequest request, CancellationToken cancellation = default)
    {
        if (!JournalActions.All.Contains(request.Action)) throw new ArgumentException($"Unknown journal action '{request.Action}'.", nameof(request));
        return committer.CommitAsync(council, request, cancellation);
    }

    /// <summary>
    /// Appends a granted access and returns, once committed, the receipt that <see cref="Protection.VaultReader"/> demands
    /// before it decrypts anything of that situation.
    /// </summary>
    public async Task<JournalReceipt> CommitAsync(string council, JournalRequest request, CancellationToken cancellation = default)
    {
        if (!request.Granted) throw new ArgumentException("Only a granted access gets a receipt.", nameof(request));
        return JournalReceipt.ForCommitted(council, await AppendAsync(council, request, cancellation));
    }

    /// <summary>
    /// Journals a refused nominative action that names no situation on the council's chain (see
    /// <see cref="JournalChains.CouncilSituationId"/>): who asked (member id if known, the token's subject), what, the
    /// purpose code if it is one of the action's closed list, and the refusal code. Like every append, it returns only
    /// once committed, or throws the 503 problem (then nothing may be returned either).
    /// </summary>
    public Task<AccessJournalled> AppendCouncilRefusalAsync(string council, string action, Guid? memberId, string subject, string? purpose,
        string refusal, CancellationToken cancellation = default) =>
        AppendAsync(council, new JournalRequest(action, JournalChains.CouncilSituationId, JournalChains.CouncilPseudonym, memberId, subject,
            purpose, null, null, Granted: false, Refusal: refusal), cancellation);

    /// <summary>The next entry of the chain: its position, instant and hashes.</summary>
    public static AccessJournalled Entry(string council, JournalRequest request, JournalChainHead? head, DateTimeOffset now)
    {
        var previous = head is null ? JournalHash.Genesis : JournalHash.TryParse(head.LastHash, out var h) ? h : JournalHash.Genesis;
        var entry = new AccessJournalled(
            Guid.CreateVersion7(now), (head?.LastSequence ?? 0) + 1, now, request.MemberId, request.Subject, request.Action,
            request.SituationId, request.Pseudonym, request.Purpose, request.ArchiveReasonCode, request.ArchiveReasonDetail,
            request.Granted, request.Refusal, previous.ToString(), Hash: "");
        return entry with { Hash = JournalHashing.OfEntry(council, entry, previous).ToString() };
    }

    /// <summary>The stream's last event: the one at its recorded version, or, if that one is gone, the last one left.</summary>
    public static async Task<IEvent?> LastEventAsync(IQuerySession session, Guid streamId, long version, CancellationToken cancellation)
    {
        var events = await session.Events.FetchStreamAsync(streamId, version: version, fromVersion: version, token: cancellation);
        if (events.Count > 0) return events[^1];
        var all = await session.Events.FetchStreamAsync(streamId, token: cancellation);
        return all.Count > 0 ? all[^1] : null;
    }

    public static bool IsChainConflict(Exception exception)
    {
        if (ConcurrencyFailures.IsConcurrencyFailure(exception)) return true;
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }) return true;
        return false;
    }

    public static ProblemDetails Unavailable() => new()
    {
        Status = StatusCodes.Status503ServiceUnavailable,
        Type = JournalProblemTypes.Unavailable,
        Title = "Journal des accès indisponible",
        Detail = "Journal indisponible ; aucune donnée communiquée. La consultation n'a pas pu être enregistrée dans le journal " +
                 "des accès : par sécurité, rien n'est affiché. Réessayez dans un instant ou prévenez l'administrateur.",
    };
}

public static class JournalProblemTypes
{
    public const string Unavailable = "urn:caseexchange:problem:journal-unavailable";
}

using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Journal.Browsing;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Journal.Checkpoints;

/// <summary>A checkpoint without its list of heads: what to compare with the hashes kept outside the database.</summary>
public sealed record CheckpointSummary(long Sequence, DateTimeOffset At, int ChainCount, string Hash)
{
    public static CheckpointSummary Of(JournalCheckpointSealed c) => new(c.Sequence, c.At, c.Heads.Count, c.Hash);
}

public sealed record SealingResponse(IReadOnlyList<CheckpointSummary> Sealed, CheckpointSummary? Latest);

public static class CheckpointEndpoints
{
    /// <summary>Seals now the chains that moved since the last checkpoint (the service also does it periodically).</summary>
    [WolverinePost("/api/councils/{council}/journal/checkpoints", Summary = "Sceller maintenant les chaînes du journal des accès (auditeur)"), Tags("Journal")]
    public static Task<SealingResponse> Seal(CouncilRequest request, JournalSealer sealer) => CheckpointsUseCase.SealAsync(request, sealer);

    /// <summary>The council's checkpoints, latest first.</summary>
    [WolverineGet("/api/councils/{council}/journal/checkpoints", Summary = "Points de scellement du journal des accès (auditeur)"), Tags("Journal")]
    public static Task<IReadOnlyList<CheckpointSummary>> List(int? page, int? pageSize, CouncilRequest request) =>
        CheckpointsUseCase.ListAsync(request, page, pageSize);
}

public static class CheckpointsUseCase
{
    public static async Task<SealingResponse> SealAsync(CouncilRequest request, JournalSealer sealer)
    {
        BrowseJournalUseCase.RequireAuditor(request);
        var sealedNow = await sealer.SealAsync(request.Council, request.Cancellation);
        var latest = sealedNow.Count > 0 ? sealedNow[^1] : await LatestAsync(request.Session, request.Cancellation);
        return new SealingResponse([.. sealedNow.Select(CheckpointSummary.Of)], latest is null ? null : CheckpointSummary.Of(latest));
    }

    public static async Task<IReadOnlyList<CheckpointSummary>> ListAsync(CouncilRequest request, int? page, int? pageSize)
    {
        BrowseJournalUseCase.RequireAuditor(request);
        var size = Math.Clamp(pageSize ?? 50, 1, 200);
        var skip = (Math.Max(page ?? 1, 1) - 1) * size;
        var checkpoints = await request.Session.Events.QueryRawEventDataOnly<JournalCheckpointSealed>()
            .OrderByDescending(c => c.Sequence).Skip(skip).Take(size).ToListAsync(request.Cancellation);
        return [.. checkpoints.Select(CheckpointSummary.Of)];
    }

    private static async Task<JournalCheckpointSealed?> LatestAsync(IQuerySession session, CancellationToken cancellation) =>
        await session.Events.QueryRawEventDataOnly<JournalCheckpointSealed>().OrderByDescending(c => c.Sequence).FirstOrDefaultAsync(cancellation);
}

using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Journal.Browsing;
using CaseExchange.Journal.Checkpoints;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Journal.Verification;

public sealed record JournalBreakView(string Kind, string Explanation, Guid ChainId, Guid? SituationId, string? Pseudonym, long Sequence, string Detail)
{
    public static JournalBreakView Of(JournalBreak b) =>
        new(b.Kind, JournalBreakKinds.Explain(b.Kind), b.ChainId, b.SituationId, b.Pseudonym, b.Sequence, b.Detail);
}

/// <summary>The verification report as auditors read it.</summary>
public sealed record VerificationView(
    bool Intact, string Summary, DateTimeOffset VerifiedAt, long EntryCount, int ChainCount, long CheckpointCount, int SealedChainCount,
    long UnsealedEntryCount, long? LastCheckpointSequence, string? LastCheckpointHash, JournalBreakView? FirstBreak, int BrokenChainCount,
    IReadOnlyList<JournalBreakView> Breaks, long UnkeyedCheckpointCount, string CheckpointKeyId)
{
    public static VerificationView Of(JournalVerificationReport r, string keyId) => new(
        r.Intact, Summarise(r), r.VerifiedAt, r.EntryCount, r.ChainCount, r.CheckpointCount, r.SealedChainCount, r.UnsealedEntryCount,
        r.LastCheckpointSequence, r.LastCheckpointHash, r.FirstBreak is null ? null : JournalBreakView.Of(r.FirstBreak), r.BrokenChainCount,
        [.. r.Breaks.Select(JournalBreakView.Of)], r.UnkeyedCheckpointCount, keyId);

    public static string Summarise(JournalVerificationReport r) => r.Intact
        ? $"Journal intègre : {Count(r.EntryCount, "entrée", "entrées")} dans {Count(r.ChainCount, "chaîne", "chaînes")}, " +
          $"{Count(r.CheckpointCount, "point de scellement", "points de scellement")}."
        : $"Journal altéré : {Count(r.BrokenChainCount, "chaîne rompue", "chaînes rompues")}. Premier lien rompu : {r.FirstBreak!.Detail}";

    /// <summary>French number agreement: the singular for 0 and 1 (« 0 entrée », « 1 entrée », « 2 entrées »).</summary>
    public static string Count(long n, string singular, string plural) =>
        $"{n.ToString(System.Globalization.CultureInfo.InvariantCulture)} {(n is 0 or 1 ? singular : plural)}";
}

public static class VerifyJournalEndpoint
{
    /// <summary>Seals the chains that moved, then verifies the whole journal of the council.</summary>
    [WolverinePost("/api/councils/{council}/journal/verifications", Summary = "Vérifier l'intégrité du journal des accès après scellement (auditeur)"), Tags("Journal")]
    public static Task<VerificationView> Post(CouncilRequest request, JournalVerification verification) => VerifyJournalUseCase.HandleAsync(request, verification);
}

/// <summary>What verifying needs: the sealer (seal first), the verifier, the checkpoint key's id and a logger for breaks.</summary>
public sealed record JournalVerification(JournalSealer Sealer, JournalVerifier Verifier, JournalCheckpointKey Key, ILogger<JournalVerifier> Logger);

public static class VerifyJournalUseCase
{
    public static async Task<VerificationView> HandleAsync(CouncilRequest request, JournalVerification verification)
    {
        BrowseJournalUseCase.RequireAuditor(request);
        await verification.Sealer.SealAsync(request.Council, request.Cancellation);
        var report = await verification.Verifier.VerifyAsync(request.Council, request.Cancellation);
        if (report.FirstBreak is { } first)
            verification.Logger.LogWarning("The access journal of council {Council} is broken: {BrokenChainCount} chain(s), first {BreakKind} in chain {ChainId} at {Sequence}",
                report.Council, report.BrokenChainCount, first.Kind, first.ChainId, first.Sequence);
        return VerificationView.Of(report, verification.Key.KeyId);
    }
}

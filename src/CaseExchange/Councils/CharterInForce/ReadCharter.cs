using CaseExchange.Charter;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Councils.CharterInForce;

/// <summary>
/// The charter in force for the caller: its version, fingerprint and text (the council's own texts when it adopted its own
/// version), whether the caller signed it, and what changed since the version the caller signed last, if another.
/// </summary>
public sealed record CharterView(
    string Version, string Title, string Fingerprint, string? VersionInForce, bool SignedByMe, string Text, CharterChanges? ChangesSinceMySignature = null);

public static class ReadCharterEndpoint
{
    /// <summary>Any active member may read the charter: it must be read before it is signed.</summary>
    [WolverineGet("/api/councils/{council}/charter", Summary = "Le texte de la charte en vigueur et sa version"), Tags("Charte")]
    public static Task<CharterView> Get(CouncilRequest request) => ReadCharterUseCase.HandleAsync(request);
}

public static class ReadCharterUseCase
{
    public static async Task<CharterView> HandleAsync(CouncilRequest request)
    {
        var (actor, policy) = (request.Actor, request.Policy);
        var inForce = actor.Council.CharterVersionInForce;
        var signedByMe = actor.Member.HasSigned(inForce);
        // The council's stream is read only when its own version is in force (its texts) or the caller has one to re-sign.
        if (actor.Council.CharterTerms is null && (signedByMe || actor.Member.SignedCharterVersions.Count == 0))
            return new CharterView(policy.Version, policy.Title, policy.Fingerprint, inForce, signedByMe, policy.FullText);
        var history = await CharterVersionHistory.LoadAsync(request.Session, request.DeploymentPolicy, request.Cancellation);
        var text = history.LastOrDefault(v => v.Fingerprint == policy.Fingerprint)?.FullText ?? policy.FullText;
        return new CharterView(policy.Version, policy.Title, policy.Fingerprint, inForce, signedByMe, text,
            CharterVersionHistory.ChangesSinceSignature(history, actor.Member, inForce));
    }
}

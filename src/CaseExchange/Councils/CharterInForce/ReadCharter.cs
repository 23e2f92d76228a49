using CaseExchange.Charter;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Councils.CharterInForce;

public sealed record CharterView(
    string Version, string Title, string Fingerprint, string? VersionInForce, bool SignedByMe, string Text);

public static class ReadCharterEndpoint
{
    /// <summary>Any active member may read the charter: it must be read before it is signed.</summary>
    [WolverineGet("/api/councils/{council}/charter", Summary = "Le texte de la charte en vigueur et sa version"), Tags("Charte")]
    public static CharterView Get(CouncilRequest request) => ReadCharterUseCase.Handle(request);
}

public static class ReadCharterUseCase
{
    public static CharterView Handle(CouncilRequest request)
    {
        var (actor, policy) = (request.Actor, request.Policy);
        return new CharterView(policy.Version, policy.Title, policy.Fingerprint, actor.Council.CharterVersionInForce,
            actor.Member.HasSigned(actor.Council.CharterVersionInForce), policy.FullText);
    }
}

using System.Security.Claims;
using CaseExchange.Charter;
using CaseExchange.Http;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Councils;

public sealed record CharterView(
    string Version, string Title, string Fingerprint, string? VersionInForce, bool SignedByMe, string Text);

public sealed record SignCharter(string? Version);

public sealed record AdoptCharter(string? Version);

public sealed record CharterSignatureResponse(string Version, DateTimeOffset SignedAt);

public static class CharterEndpoints
{
    /// <summary>Any active member may read the charter: it must be read before it is signed.</summary>
    [WolverineGet("/api/councils/{council}/charter", Summary = "Le texte de la charte en vigueur et sa version"), Tags("Charte")]
    public static async Task<CharterView> Get(string council, ClaimsPrincipal user, IQuerySession session, CharterPolicy policy)
    {
        var actor = await Actor.RequireAsync(user, session);
        return new CharterView(policy.Version, policy.Title, policy.Fingerprint, actor.Council.CharterVersionInForce,
            actor.Member.HasSigned(actor.Council.CharterVersionInForce), policy.FullText);
    }

    [WolverinePost("/api/councils/{council}/charter/signatures", Summary = "Signer la charte en vigueur"), Tags("Charte")]
    public static async Task<CharterSignatureResponse> Sign(string council, SignCharter command, ClaimsPrincipal user, IDocumentSession session,
        CharterPolicy policy, TimeProvider clock)
    {
        var actor = await Actor.RequireAsync(user, session);
        new ValidationErrors().RequireText(command.Version, "version", "La version signée", 40).ThrowIfAny();
        var inForce = actor.Council.CharterVersionInForce
                      ?? throw Problems.OutOfOrder("Aucune charte n'est en vigueur dans ce conseil : le coordonnateur doit d'abord l'adopter.");
        if (command.Version != inForce)
            throw Problems.OutOfOrder($"La version en vigueur est la {inForce} : c'est elle qu'il faut signer.");
        if (inForce != policy.Version)
            throw Problems.OutOfOrder("La version en vigueur n'est pas celle que ce service affiche : le coordonnateur doit adopter la version livrée avant toute signature.");
        if (actor.Member.HasSigned(inForce))
            throw Problems.OutOfOrder("Vous avez déjà signé cette version de la charte.");

        var now = clock.GetUtcNow();
        session.Events.Append(actor.Id, actor.Member.Version + 1, new CharterSigned(actor.Id, inForce, policy.Fingerprint, now));
        return new CharterSignatureResponse(inForce, now);
    }

    /// <summary>The coordonnateur puts the charter version shipped with the service in force; everyone must then (re)sign it.</summary>
    [WolverinePost("/api/councils/{council}/charter/adoptions", Summary = "Mettre en vigueur la version de la charte livrée (coordonnateur)"), Tags("Charte")]
    public static async Task<CharterView> Adopt(string council, AdoptCharter command, ClaimsPrincipal user, IDocumentSession session,
        CharterPolicy policy, TimeProvider clock)
    {
        var actor = await Actor.RequireAsync(user, session);
        actor.RequireCouncilCapability(policy, Capabilities.ManageCouncil);
        new ValidationErrors().RequireText(command.Version, "version", "La version adoptée", 40).ThrowIfAny();
        if (command.Version != policy.Version)
            throw Problems.OutOfOrder($"Seule la version livrée avec le service ({policy.Version}) peut être adoptée.");
        if (actor.Council.CharterVersionInForce == policy.Version)
            throw Problems.OutOfOrder("Cette version est déjà en vigueur.");

        session.Events.Append(Council.StreamId, actor.Council.Version + 1,
            new CharterVersionAdopted(policy.Version, policy.Fingerprint, actor.Id, clock.GetUtcNow()));
        return new CharterView(policy.Version, policy.Title, policy.Fingerprint, policy.Version, SignedByMe: false, policy.FullText);
    }
}

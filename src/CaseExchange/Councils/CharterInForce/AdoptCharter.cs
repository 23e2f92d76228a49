using CaseExchange.Charter;
using CaseExchange.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Councils.CharterInForce;

public sealed record AdoptCharter(string? Version);

public static class AdoptCharterEndpoint
{
    /// <summary>The coordonnateur puts the charter version shipped with the service in force; everyone must then (re)sign it.</summary>
    [WolverinePost("/api/councils/{council}/charter/adoptions", Summary = "Mettre en vigueur la version de la charte livrée (coordonnateur)"), Tags("Charte")]
    public static CharterView Post(AdoptCharter command, CouncilRequest request) => AdoptCharterUseCase.Handle(request, command);
}

public static class AdoptCharterUseCase
{
    public static CharterView Handle(CouncilRequest request, AdoptCharter command)
    {
        var (actor, policy) = (request.Actor, request.DeploymentPolicy);
        actor.RequireCouncilCapability(policy, Capabilities.ManageCouncil);
        Check(command).ThrowIfAny();
        request.Session.Events.Append(Council.StreamId, actor.Council.Version + 1, Decide(actor.Council, policy, command.Version!, actor.Id, request.Now));
        return new CharterView(policy.Version, policy.Title, policy.Fingerprint, policy.Version, SignedByMe: false, policy.FullText);
    }

    public static ValidationErrors Check(AdoptCharter command) =>
        new ValidationErrors().RequireText(command.Version, "version", "La version adoptée", 40);

    /// <summary>Only the version shipped with the service, and only if it is not already in force (a council's own version may give way to it).</summary>
    public static CharterVersionAdopted Decide(Council council, CharterPolicy policy, string version, Guid actorId, DateTimeOffset now)
    {
        if (version != policy.Version)
            throw Problems.OutOfOrder($"Seule la version livrée avec le service ({policy.Version}) peut être adoptée.");
        if (council.CharterVersionInForce == policy.Version && council.CharterTerms is null)
            throw Problems.OutOfOrder("Cette version est déjà en vigueur.");
        return new CharterVersionAdopted(policy.Version, policy.Fingerprint, actorId, now);
    }
}

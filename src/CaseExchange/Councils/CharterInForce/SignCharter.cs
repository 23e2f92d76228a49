using CaseExchange.Charter;
using CaseExchange.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Councils.CharterInForce;

public sealed record SignCharter(string? Version);

public sealed record CharterSignatureResponse(string Version, DateTimeOffset SignedAt);

public static class SignCharterEndpoint
{
    [WolverinePost("/api/councils/{council}/charter/signatures", Summary = "Signer la charte en vigueur"), Tags("Charte")]
    public static CharterSignatureResponse Post(SignCharter command, CouncilRequest request) => SignCharterUseCase.Handle(request, command);
}

/// <summary>A member signs the charter version in force, the one this service displays; until then, no nominative access.</summary>
public static class SignCharterUseCase
{
    public static CharterSignatureResponse Handle(CouncilRequest request, SignCharter command)
    {
        var actor = request.Actor;
        Check(command).ThrowIfAny();
        var signed = Decide(actor.Member, actor.Council, request.Policy, command.Version!, request.Now);
        request.Session.Events.Append(actor.Id, actor.Member.Version + 1, signed);
        return new CharterSignatureResponse(signed.CharterVersion, signed.At);
    }

    public static ValidationErrors Check(SignCharter command) =>
        new ValidationErrors().RequireText(command.Version, "version", "La version signée", 40);

    public static CharterSigned Decide(Member member, Council council, CharterPolicy policy, string version, DateTimeOffset now)
    {
        var inForce = council.CharterVersionInForce
                      ?? throw Problems.OutOfOrder("Aucune charte n'est en vigueur dans ce conseil : le coordonnateur doit d'abord l'adopter.");
        if (version != inForce)
            throw Problems.OutOfOrder($"La version en vigueur est la {inForce} : c'est elle qu'il faut signer.");
        if (inForce != policy.Version)
            throw Problems.OutOfOrder("La version en vigueur n'est pas celle que ce service affiche : le coordonnateur doit adopter la version livrée avant toute signature.");
        if (member.HasSigned(inForce))
            throw Problems.OutOfOrder("Vous avez déjà signé cette version de la charte.");
        return new CharterSigned(member.Id, inForce, policy.Fingerprint, now);
    }
}

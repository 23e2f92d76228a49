using System.Security.Claims;
using CaseExchange.Charter;
using CaseExchange.Http;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Councils;

/// <summary>
/// The member of the council (the request's tenant) behind the authenticated subject. Roles are never taken from
/// the token: they come from the event store, so that any past access can be re-judged.
/// </summary>
public sealed record Actor(Member Member, Council Council)
{
    public Guid Id => Member.Id;

    /// <summary>For code outside a request (operator commands, the demo); requests use <see cref="CouncilRequest.Actor"/>.</summary>
    public static async Task<Actor> RequireAsync(ClaimsPrincipal user, IQuerySession session, CancellationToken cancellation = default)
    {
        var subject = SubjectOf(user) ?? throw new ProblemException(Unauthenticated());
        var batch = session.CreateBatchQuery();
        var member = batch.Query(new MemberBySubject { Subject = subject });
        var council = batch.Load<Council>(Council.StreamId);
        await batch.Execute(cancellation);

        // Same answer for an unknown council and for a council one does not belong to.
        if (await council is not { } knownCouncil || await member is not { Active: true } knownMember)
            throw new ProblemException(Forbidden(Refusals.NotACouncilMember));
        return new Actor(knownMember, knownCouncil);
    }

    public static string? SubjectOf(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.FindFirstValue("sub") ?? user.FindFirstValue(ClaimTypes.NameIdentifier) : null;

    public void Require(AccessVerdict verdict)
    {
        if (!verdict.Allowed) throw new ProblemException(Forbidden(verdict.Refusal!));
    }

    public void RequireCouncilCapability(CharterPolicy policy, string capability) =>
        Require(AccessRules.CouncilCapability(policy, Member, capability));

    public static ProblemDetails Forbidden(string refusal) => new()
    {
        Status = StatusCodes.Status403Forbidden,
        Type = $"urn:caseexchange:problem:forbidden:{refusal}",
        Title = "Accès refusé",
        Detail = Refusals.Explain(refusal),
    };

    public static ProblemDetails Unauthenticated() => new()
    {
        Status = StatusCodes.Status401Unauthorized,
        Type = ProblemTypes.Unauthenticated,
        Title = "Authentification requise",
        Detail = "Connectez-vous pour accéder à ce conseil.",
    };
}

using CaseExchange.Charter;
using CaseExchange.Http;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Councils.Members;

/// <summary>A suspension or a reinstatement: a reason code from the charter's closed list, never free text.</summary>
public sealed record SuspendMember(string? Reason);

public sealed record ReinstateMember(string? Reason);

public static class SuspendMemberEndpoints
{
    /// <summary>Charte: "suspension immédiate, à titre conservatoire" of a member's accesses, by the coordonnateur.</summary>
    [WolverinePost("/api/councils/{council}/members/{memberId}/suspension",
        Summary = "Suspendre immédiatement, à titre conservatoire, les accès d'un membre (coordonnateur)"), Tags("Membres")]
    public static Task<MemberView> Suspend(Guid memberId, SuspendMember command, CouncilRequest request) =>
        SuspendMemberUseCase.SuspendAsync(request, memberId, command);

    [WolverinePost("/api/councils/{council}/members/{memberId}/reinstatement",
        Summary = "Lever la suspension d'un membre : ses accès sont rétablis (coordonnateur)"), Tags("Membres")]
    public static Task<MemberView> Reinstate(Guid memberId, ReinstateMember command, CouncilRequest request) =>
        SuspendMemberUseCase.ReinstateAsync(request, memberId, command);
}

/// <summary>
/// Suspension as a precaution: the member is refused everything a deactivated member is (every rule reads
/// <see cref="Member.Active"/>), but keeps roles and groups, which a reinstatement restores as they were.
/// </summary>
public static class SuspendMemberUseCase
{
    public static async Task<MemberView> SuspendAsync(CouncilRequest request, Guid memberId, SuspendMember command)
    {
        request.Actor.RequireCouncilCapability(request.Policy, Capabilities.ManageCouncil);
        Check(command, request.Policy).ThrowIfAny();
        var (stream, member) = await MemberForWriting.FetchRegisteredAsync(request, memberId);
        var suspended = DecideSuspension(member, command, request.Actor.Id, request.Now);
        stream.AppendOne(suspended);
        return MemberView.Of(member) with { Active = false, Suspended = true, Version = member.Version + 1 };
    }

    public static async Task<MemberView> ReinstateAsync(CouncilRequest request, Guid memberId, ReinstateMember command)
    {
        request.Actor.RequireCouncilCapability(request.Policy, Capabilities.ManageCouncil);
        Check(command, request.Policy).ThrowIfAny();
        var (stream, member) = await MemberForWriting.FetchRegisteredAsync(request, memberId);
        var reinstated = DecideReinstatement(member, command, request.Actor.Id, request.Now);
        stream.AppendOne(reinstated);
        return MemberView.Of(member) with { Active = true, Suspended = false, Version = member.Version + 1 };
    }

    public static ValidationErrors Check(SuspendMember command, CharterPolicy policy) => new ValidationErrors()
        .When(!policy.MemberSuspensionReasons.Has(command.Reason), "reason", "Le motif de la suspension doit être choisi dans la liste de la charte.");

    public static ValidationErrors Check(ReinstateMember command, CharterPolicy policy) => new ValidationErrors()
        .When(!policy.MemberReinstatementReasons.Has(command.Reason), "reason", "Le motif de la levée de suspension doit être choisi dans la liste de la charte.");

    /// <summary>Only an active member, other than oneself, is suspended (409 otherwise).</summary>
    public static MemberSuspended DecideSuspension(Member member, SuspendMember command, Guid actorId, DateTimeOffset now)
    {
        if (member.Id == actorId) throw Problems.OutOfOrder("Vous ne pouvez pas suspendre votre propre compte.");
        if (member.Suspended) throw Problems.OutOfOrder("Ce membre est déjà suspendu.");
        if (!member.Active) throw Problems.OutOfOrder("Ce membre est désactivé : il n'a plus aucun accès à suspendre.");
        return new MemberSuspended(member.Id, command.Reason!, actorId, now);
    }

    /// <summary>Only a suspended member is reinstated; a deactivated one must be registered again (409 otherwise).</summary>
    public static MemberReinstated DecideReinstatement(Member member, ReinstateMember command, Guid actorId, DateTimeOffset now)
    {
        if (!member.Suspended)
            throw Problems.OutOfOrder(member.Active ? "Ce membre n'est pas suspendu." : "Ce membre est désactivé : seule une suspension peut être levée.");
        return new MemberReinstated(member.Id, command.Reason!, actorId, now);
    }
}

using CaseExchange.Charter;
using CaseExchange.Http;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Councils.Members;

public sealed record MemberView(
    Guid MemberId, string Subject, string DisplayName, string Organisation, string Function,
    IReadOnlyList<string> CouncilRoles, IReadOnlyList<string> SignedCharterVersions, bool Active, int Version, bool Suspended = false,
    string? MaireOf = null)
{
    public static MemberView Of(Member m) =>
        new(m.Id, m.Subject, m.DisplayName, m.Organisation, m.Function, m.CouncilRoles, m.SignedCharterVersions, m.Active, m.Version, m.Suspended, m.MaireOf);
}

public static class BrowseMembersEndpoints
{
    /// <summary>Members are listed for those who manage the council and for auditors, who read the journal by member.</summary>
    [WolverineGet("/api/councils/{council}/members", Summary = "Les membres du conseil (coordonnateur, auditeur)"), Tags("Membres")]
    public static Task<IReadOnlyList<MemberView>> List(CouncilRequest request) => BrowseMembersUseCase.ListAsync(request);

    [WolverineGet("/api/councils/{council}/members/{memberId}", Summary = "Un membre"), Tags("Membres")]
    public static Task<MemberView> Get(Guid memberId, CouncilRequest request) => BrowseMembersUseCase.GetAsync(request, memberId);
}

public static class BrowseMembersUseCase
{
    public static async Task<IReadOnlyList<MemberView>> ListAsync(CouncilRequest request)
    {
        RequireManagerOrAuditor(request);
        var members = await request.Session.Query<Member>().OrderBy(m => m.DisplayName).ToListAsync(request.Cancellation);
        return [.. members.Select(MemberView.Of)];
    }

    /// <summary>A member sees themself; managers and auditors see anyone.</summary>
    public static async Task<MemberView> GetAsync(CouncilRequest request, Guid memberId)
    {
        if (request.Actor.Id != memberId) RequireManagerOrAuditor(request);
        var member = await request.Session.LoadAsync<Member>(memberId, request.Cancellation) ?? throw Problems.NotFound("Membre introuvable.");
        return MemberView.Of(member);
    }

    private static void RequireManagerOrAuditor(CouncilRequest request)
    {
        var actor = request.Actor;
        if (!AccessRules.CouncilCapability(request.Policy, actor.Member, Capabilities.ManageCouncil).Allowed)
            actor.RequireCouncilCapability(request.Policy, Capabilities.ReadJournal);
    }
}

using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Councils;

public sealed record CouncilView(string Code, string Name, IReadOnlyList<Sector> Sectors, string? CharterVersionInForce);

public sealed record MyGroup(Guid GroupId, string Name, string Kind, string Role);

public sealed record MeView(
    Guid MemberId, string DisplayName, string Organisation, string Function, IReadOnlyList<string> CouncilRoles,
    IReadOnlyList<MyGroup> Groups, string? CharterVersionInForce, bool CharterSigned, string Notice)
{
    /// <summary>Référent of at least one open situation: the "Mes suivis" page has something for them.</summary>
    public bool HasFollowUps { get; init; }

    /// <summary>
    /// Whether the member's roles (in the council or in a group) give any nominative access. The auditeur and the
    /// président have none (charter, rules 7 and 9): the charter binds them, but no access waits on their signature.
    /// </summary>
    public bool HasNominativeRole { get; init; }
}

public static class ReadCouncilEndpoints
{
    [WolverineGet("/api/councils/{council}", Summary = "Le conseil : nom, secteurs, version de la charte en vigueur"), Tags("Conseil")]
    public static CouncilView GetCouncil(CouncilRequest request) => ReadCouncilUseCase.Council(request);

    [WolverineGet("/api/councils/{council}/me", Summary = "Le membre connecté : rôles, groupes, signature de la charte"), Tags("Conseil")]
    public static Task<MeView> GetMe(CouncilRequest request) => ReadCouncilUseCase.MeAsync(request);
}

/// <summary>The council itself, and the member asking (what every page of the council shows in its header).</summary>
public static partial class ReadCouncilUseCase
{
    public static CouncilView Council(CouncilRequest request)
    {
        var c = request.Actor.Council;
        return new CouncilView(c.Code, c.Name, c.Sectors, c.CharterVersionInForce);
    }

    public static async Task<MeView> MeAsync(CouncilRequest request)
    {
        var actor = request.Actor;
        var groups = await request.Session.Query<Group>().Where(g => g.Members.ContainsKey(actor.Id)).ToListAsync(request.Cancellation);
        var m = actor.Member;
        var followUps = await request.Session.Query<Situations.Situation>()
            .AnyAsync(s => s.ReferentId == m.Id && s.ClosedAt == null, request.Cancellation);
        return new MeView(m.Id, m.DisplayName, m.Organisation, m.Function, m.CouncilRoles,
            [.. groups.OrderBy(g => g.Name).Select(g => new MyGroup(g.Id, g.Name, g.Kind, g.RoleOf(m.Id)!))],
            actor.Council.CharterVersionInForce, m.HasSigned(actor.Council.CharterVersionInForce), Journal.JournalNotice.Text)
        {
            HasFollowUps = followUps,
            HasNominativeRole = CharterGatesAnAccess(request.Policy, m.CouncilRoles, groups.Count > 0),
        };
    }
}

public static partial class ReadCouncilUseCase
{
    /// <summary>Council capabilities that the charter in force must be signed for (they reach, or write, nominative data).</summary>
    private static readonly string[] CharterGated =
    [
        Charter.Capabilities.OpenNominativeFiles, Charter.Capabilities.ReferSituations, Charter.Capabilities.RecordFollowUp,
        Charter.Capabilities.AnswerAccessRequests, Charter.Capabilities.LeadSituations, Charter.Capabilities.OrderErasure,
    ];

    /// <summary>
    /// Pure: whether some access of this member waits on the charter's signature. A group's member always (even the
    /// anonymised rows need it); in the council, only roles with a nominative capability — not the auditeur (journal and
    /// anonymised views) nor the président (statistics only, charter rule 7).
    /// </summary>
    public static bool CharterGatesAnAccess(Charter.CharterPolicy policy, IEnumerable<string> councilRoles, bool belongsToAGroup) =>
        belongsToAGroup || councilRoles.Any(r => CharterGated.Any(c => policy.RoleHas(r, c)));
}

/// <summary>Codes chosen by people (council, sector): lowercase ASCII, digits and dashes, safe in URLs and SQL identifiers.</summary>
public static class Codes
{
    public static bool IsValid(string code) =>
        code.Length is >= 2 and <= 40 && code.All(ch => ch is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') && code[0] != '-';
}

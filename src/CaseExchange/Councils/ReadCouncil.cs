using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Councils;

public sealed record CouncilView(string Code, string Name, IReadOnlyList<Sector> Sectors, string? CharterVersionInForce);

public sealed record MyGroup(Guid GroupId, string Name, string Kind, string Role);

public sealed record MeView(
    Guid MemberId, string DisplayName, string Organisation, string Function, IReadOnlyList<string> CouncilRoles,
    IReadOnlyList<MyGroup> Groups, string? CharterVersionInForce, bool CharterSigned, string Notice);

public static class ReadCouncilEndpoints
{
    [WolverineGet("/api/councils/{council}", Summary = "Le conseil : nom, secteurs, version de la charte en vigueur"), Tags("Conseil")]
    public static CouncilView GetCouncil(CouncilRequest request) => ReadCouncilUseCase.Council(request);

    [WolverineGet("/api/councils/{council}/me", Summary = "Le membre connecté : rôles, groupes, signature de la charte"), Tags("Conseil")]
    public static Task<MeView> GetMe(CouncilRequest request) => ReadCouncilUseCase.MeAsync(request);
}

/// <summary>The council itself, and the member asking (what every page of the council shows in its header).</summary>
public static class ReadCouncilUseCase
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
        return new MeView(m.Id, m.DisplayName, m.Organisation, m.Function, m.CouncilRoles,
            [.. groups.OrderBy(g => g.Name).Select(g => new MyGroup(g.Id, g.Name, g.Kind, g.RoleOf(m.Id)!))],
            actor.Council.CharterVersionInForce, m.HasSigned(actor.Council.CharterVersionInForce), Journal.JournalNotice.Text);
    }
}

/// <summary>Codes chosen by people (council, sector): lowercase ASCII, digits and dashes, safe in URLs and SQL identifiers.</summary>
public static class Codes
{
    public static bool IsValid(string code) =>
        code.Length is >= 2 and <= 40 && code.All(ch => ch is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') && code[0] != '-';
}

using System.Security.Claims;
using CaseExchange.Charter;
using CaseExchange.Http;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Councils;

public sealed record CouncilView(string Code, string Name, IReadOnlyList<Sector> Sectors, string? CharterVersionInForce);

public sealed record MyGroup(Guid GroupId, string Name, string Kind, string Role);

public sealed record MeView(
    Guid MemberId, string DisplayName, string Organisation, string Function, IReadOnlyList<string> CouncilRoles,
    IReadOnlyList<MyGroup> Groups, string? CharterVersionInForce, bool CharterSigned, string Notice);

public sealed record AddSector(string? Code, string? Label);

public static class CouncilEndpoints
{
    public const string JournalNotice =
        "Vos consultations de données nominatives sont enregistrées dans le journal des accès (qui, quand, pour quel motif) " +
        "et peuvent être contrôlées par l'auditeur du conseil.";

    [WolverineGet("/api/councils/{council}", Summary = "Le conseil : nom, secteurs, version de la charte en vigueur"), Tags("Conseil")]
    public static async Task<CouncilView> GetCouncil(string council, ClaimsPrincipal user, IQuerySession session)
    {
        var actor = await Actor.RequireAsync(user, session);
        var c = actor.Council;
        return new CouncilView(c.Code, c.Name, c.Sectors, c.CharterVersionInForce);
    }

    [WolverineGet("/api/councils/{council}/me", Summary = "Le membre connecté : rôles, groupes, signature de la charte"), Tags("Conseil")]
    public static async Task<MeView> GetMe(string council, ClaimsPrincipal user, IQuerySession session)
    {
        var actor = await Actor.RequireAsync(user, session);
        var groups = await session.Query<Group>().Where(g => g.Members.ContainsKey(actor.Id)).ToListAsync();
        var m = actor.Member;
        return new MeView(m.Id, m.DisplayName, m.Organisation, m.Function, m.CouncilRoles,
            [.. groups.OrderBy(g => g.Name).Select(g => new MyGroup(g.Id, g.Name, g.Kind, g.RoleOf(m.Id)!))],
            actor.Council.CharterVersionInForce, m.HasSigned(actor.Council.CharterVersionInForce), JournalNotice);
    }

    [WolverinePost("/api/councils/{council}/sectors", Summary = "Ajouter un secteur (coordonnateur)"), Tags("Conseil")]
    public static async Task<CouncilView> AddSector(string council, AddSector command, ClaimsPrincipal user, IDocumentSession session,
        CharterPolicy policy, TimeProvider clock)
    {
        var actor = await Actor.RequireAsync(user, session);
        actor.RequireCouncilCapability(policy, Capabilities.ManageCouncil);
        var errors = new ValidationErrors()
            .RequireText(command.Code, "code", "Le code du secteur", 40)
            .RequireText(command.Label, "label", "Le libellé du secteur", 100);
        errors.When(command.Code is not null && !Codes.IsValid(command.Code), "code", "Le code ne peut contenir que des minuscules, des chiffres et des tirets.");
        errors.When(actor.Council.HasSector(command.Code), "code", "Ce secteur existe déjà.");
        errors.ThrowIfAny();

        var added = new SectorAdded(new Sector(command.Code!, command.Label!.Trim()), actor.Id, clock.GetUtcNow());
        session.Events.Append(Council.StreamId, actor.Council.Version + 1, added);
        var c = actor.Council;
        return new CouncilView(c.Code, c.Name, [.. c.Sectors, added.Sector], c.CharterVersionInForce);
    }
}

/// <summary>Codes chosen by people (council, sector): lowercase ASCII, digits and dashes, safe in URLs and SQL identifiers.</summary>
public static class Codes
{
    public static bool IsValid(string code) =>
        code.Length is >= 2 and <= 40 && code.All(ch => ch is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') && code[0] != '-';
}

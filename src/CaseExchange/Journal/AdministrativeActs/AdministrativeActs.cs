using System.Globalization;
using System.Text;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Journal.Browsing;
using CaseExchange.Journal.Replay;
using JasperFx.Events;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Journal.AdministrativeActs;

/// <summary>The kinds of administrative act an auditeur filters by: a closed list.</summary>
public static class AdministrativeActKinds
{
    public const string Members = "membres";
    public const string Roles = "roles";
    public const string Groups = "groupes";
    public const string Charter = "charte";
    public const string Suspensions = "suspensions";
    public const string Partners = "partenaires";
    public const string Imports = "imports";

    public static readonly IReadOnlyList<string> All = [Members, Roles, Groups, Charter, Suspensions, Partners, Imports];

    public static string Label(string kind) => kind switch
    {
        Members => "Membres du conseil (inscription, départ)",
        Roles => "Rôles au conseil",
        Groups => "Groupes de travail et appartenances",
        Charter => "Charte (adoption, signatures)",
        Suspensions => "Suspensions et levées",
        Partners => "Partenaires et secteurs",
        Imports => "Import du tableur existant",
        _ => kind,
    };
}

/// <summary>
/// One administrative act as the auditeur reads it: when, which act, whom it concerns (a member, named as on the
/// journal's page, or a group, a charter version, a partner organisation), what (a role, a group, a reason of the
/// charter's list) and who did it. Professionals only: no person concerned by a situation is ever the object of these
/// acts, and no free text is recorded in them.
/// </summary>
public sealed record AdministrativeActView(
    DateTimeOffset At, string Kind, string KindLabel, string Act, Guid? MemberId, string? Member, string Detail, Guid? ById, string By);

public sealed record AdministrativeActsPage(IReadOnlyList<AdministrativeActView> Items, int TotalCount, int Page, int PageSize);

/// <summary>The auditeur's filters; <c>to</c> is exclusive, so that consecutive periods do not overlap.</summary>
public sealed record AdministrativeActFilter(string? Kind, DateTimeOffset? From, DateTimeOffset? To)
{
    public ValidationErrors Check() => new ValidationErrors()
        .When(Kind is not null && !AdministrativeActKinds.All.Contains(Kind), "kind", "Le type d'acte doit être choisi dans la liste.")
        .When(From is { } f && To is { } t && f >= t, "from", "Le début de la période doit précéder sa fin.");

    public bool Matches(AdministrativeActView act) =>
        (Kind is null || act.Kind == Kind) && (From is not { } f || act.At >= f) && (To is not { } t || act.At < t);
}

public static class AdministrativeActsEndpoints
{
    [WolverineGet("/api/councils/{council}/journal/administrative-acts",
        Summary = "Actes d'administration (rôles, appartenances, charte, suspensions, partenaires), par ordre chronologique (auditeur)"), Tags("Journal")]
    public static Task<AdministrativeActsPage> List(string? kind, DateTimeOffset? from, DateTimeOffset? to, int? page, int? pageSize, CouncilRequest request) =>
        AdministrativeActsUseCase.ListAsync(request, new AdministrativeActFilter(kind, from, to), page, pageSize);

    /// <summary>The same acts as CSV for a spreadsheet: UTF-8 with a byte order mark, semicolons (French Excel).</summary>
    [WolverineGet("/api/councils/{council}/journal/administrative-acts/export",
        Summary = "Actes d'administration : export CSV des actes filtrés (auditeur)"), Tags("Journal")]
    public static Task<IResult> Export(string? kind, DateTimeOffset? from, DateTimeOffset? to, CouncilRequest request) =>
        AdministrativeActsUseCase.ExportAsync(request, new AdministrativeActFilter(kind, from, to));
}

public static class AdministrativeActsUseCase
{
    public static void Require(CouncilRequest request) =>
        request.Actor.Require(AccessRules.ReadAdministrativeActs(request.Policy, request.Actor.Member));

    public static async Task<AdministrativeActsPage> ListAsync(CouncilRequest request, AdministrativeActFilter filter, int? page, int? pageSize)
    {
        var acts = await ActsAsync(request, filter);
        var size = Math.Clamp(pageSize ?? 100, 1, 500);
        var number = Math.Max(page ?? 1, 1);
        return new AdministrativeActsPage([.. acts.Skip((number - 1) * size).Take(size)], acts.Count, number, size);
    }

    public static async Task<IResult> ExportAsync(CouncilRequest request, AdministrativeActFilter filter)
    {
        var acts = await ActsAsync(request, filter);
        return Results.File(Csv(acts), "text/csv; charset=utf-8", $"actes-administration-{request.Council}-{request.Now:yyyyMMdd-HHmm}.csv");
    }

    /// <summary>The event types the trail is read from, and the kind each belongs to.</summary>
    private static readonly Type[] ActTypes =
    [
        typeof(CouncilCharterVersionAdopted),
        typeof(MemberRegistered), typeof(MemberDeactivated), typeof(CouncilRoleGranted), typeof(CouncilRoleRevoked),
        typeof(GroupCreated), typeof(MemberJoinedGroup), typeof(GroupRoleChanged), typeof(MemberLeftGroup),
        typeof(CharterVersionAdopted), typeof(CharterSigned), typeof(MemberSuspended), typeof(MemberReinstated),
        typeof(PartnerRegistered), typeof(SectorAdded), typeof(Situations.SpreadsheetImported),
        typeof(GroupKindChanged), typeof(SectorCommuneSet), typeof(MaireDesignated), typeof(MaireDesignationEnded),
    ];

    /// <summary>
    /// Every act of the council, oldest first, read from the events that recorded them (the members', groups' and council's
    /// streams), never from the documents that fold them: a role withdrawn leaves its grant and its withdrawal here.
    /// </summary>
    public static async Task<IReadOnlyList<AdministrativeActView>> ActsAsync(CouncilRequest request, AdministrativeActFilter filter)
    {
        Require(request);
        filter.Check().ThrowIfAny();
        var (session, cancellation, policy) = (request.Session, request.Cancellation, request.Policy);
        var events = await session.Events.QueryAllRawEvents().Where(e => e.EventTypesAre(ActTypes)).ToListAsync(cancellation);

        var members = (await session.Query<Member>().ToListAsync(cancellation)).ToDictionary(m => m.Id);
        var groups = (await session.Query<Group>().ToListAsync(cancellation)).ToDictionary(g => g.Id, g => g.Name);
        string MemberName(Guid? id) => id is { } m
            ? members.GetValueOrDefault(m) is { } member ? $"{member.DisplayName} ({member.Organisation})" : "Membre inconnu"
            : "Service (installation du conseil)";
        string Group(Guid id) => groups.GetValueOrDefault(id, "Groupe inconnu");
        string GroupKind(string kind) => policy.KindOf(kind).Label.ToLowerInvariant();
        string Role(string role) => policy.Roles.TryGetValue(role, out var r) ? r.Label : role;

        AdministrativeActView Act(IEvent e, string kind, string act, Guid? member, string detail, Guid? by) =>
            new(Instants.Of(e), kind, AdministrativeActKinds.Label(kind), act, member, member is null ? null : MemberName(member), detail, by,
                MemberName(by));

        AdministrativeActView? View(IEvent e) => e.Data switch
        {
            MemberRegistered x => Act(e, AdministrativeActKinds.Members, "Membre inscrit", x.MemberId,
                $"{x.Function}" + (x.CouncilRoles.Count == 0 ? "" : " ; rôles : " + string.Join(", ", x.CouncilRoles.Select(Role))), x.RegisteredBy),
            MemberDeactivated x => Act(e, AdministrativeActKinds.Members, "Membre retiré du conseil", x.MemberId, "Plus aucun accès", x.DeactivatedBy),
            CouncilRoleGranted x => Act(e, AdministrativeActKinds.Roles, "Rôle accordé", x.MemberId, Role(x.Role), x.GrantedBy),
            MaireDesignated x => Act(e, AdministrativeActKinds.Roles, "Maire désigné", x.MemberId, $"Maire de {x.Commune}", x.DesignatedBy),
            MaireDesignationEnded x => Act(e, AdministrativeActKinds.Roles, "Fin de la désignation d'un maire", x.MemberId, $"Maire de {x.Commune}", x.EndedBy),
            CouncilRoleRevoked x => Act(e, AdministrativeActKinds.Roles, "Rôle retiré", x.MemberId, Role(x.Role), x.RevokedBy),
            GroupCreated x => Act(e, AdministrativeActKinds.Groups, "Groupe créé", null, $"{x.Name} ({GroupKind(x.Kind)})", x.CreatedBy),
            GroupKindChanged x => Act(e, AdministrativeActKinds.Groups, "Type d'instance changé", null, $"{Group(x.GroupId)} — {GroupKind(x.Kind)}", x.ChangedBy),
            MemberJoinedGroup x => Act(e, AdministrativeActKinds.Groups, "Membre ajouté à un groupe", x.MemberId, $"{Group(x.GroupId)} — {Role(x.Role)}", x.AddedBy),
            GroupRoleChanged x => Act(e, AdministrativeActKinds.Groups, "Rôle dans un groupe changé", x.MemberId, $"{Group(x.GroupId)} — {Role(x.Role)}", x.ChangedBy),
            MemberLeftGroup x => Act(e, AdministrativeActKinds.Groups, "Membre retiré d'un groupe", x.MemberId, Group(x.GroupId), x.RemovedBy),
            CharterVersionAdopted x => Act(e, AdministrativeActKinds.Charter, "Version de la charte adoptée", null, $"Version {x.Version}", x.AdoptedBy),
            CouncilCharterVersionAdopted x => Act(e, AdministrativeActKinds.Charter, "Version propre au conseil adoptée", null,
                $"Version {x.Version} ; seuil des statistiques {x.Terms.StatisticsMinimumCount}", x.AdoptedBy),
            CharterSigned x => Act(e, AdministrativeActKinds.Charter, "Charte signée", x.MemberId, $"Version {x.CharterVersion}", x.MemberId),
            MemberSuspended x => Act(e, AdministrativeActKinds.Suspensions, "Accès suspendus", x.MemberId,
                policy.MemberSuspensionReasons.LabelOf(x.Reason), x.SuspendedBy),
            MemberReinstated x => Act(e, AdministrativeActKinds.Suspensions, "Suspension levée", x.MemberId,
                policy.MemberReinstatementReasons.LabelOf(x.Reason), x.ReinstatedBy),
            PartnerRegistered x => Act(e, AdministrativeActKinds.Partners, "Partenaire inscrit à l'annuaire", null,
                $"{x.Organisation} — {policy.PartnerRoles.LabelOf(x.Role)}", x.RegisteredBy),
            SectorAdded x => Act(e, AdministrativeActKinds.Partners, "Secteur ajouté", null, x.Sector.Commune is { } commune ? $"{x.Sector.Label} ({commune})" : x.Sector.Label, x.AddedBy),
            SectorCommuneSet x => Act(e, AdministrativeActKinds.Partners, "Commune d'un secteur indiquée", null, $"{x.SectorCode} — {x.Commune}", x.SetBy),
            // Counts only: the import's act never repeats a row, a reason or a pseudonym of what it created.
            Situations.SpreadsheetImported x => Act(e, AdministrativeActKinds.Imports, "Import effectué", null,
                $"{x.RowsRead} ligne(s) lue(s), {x.RowsAccepted} acceptée(s), {x.RowsRefused} refusée(s) ; {x.SituationsCreated} situation(s) créée(s)",
                x.ImportedBy),
            _ => null,
        };

        return [.. events.Select(e => (Event: e, View: View(e))).Where(x => x.View is not null && filter.Matches(x.View))
            .OrderBy(x => x.View!.At).ThenBy(x => x.Event.Sequence).Select(x => x.View!)];
    }

    private static readonly string[] Header = ["horodatage_utc", "type", "acte", "membre_id", "membre", "objet", "auteur_id", "auteur"];

    public static byte[] Csv(IEnumerable<AdministrativeActView> acts)
    {
        var csv = new StringBuilder();
        void Line(IReadOnlyList<string> cells) => csv.Append(string.Join(';', cells.Select(JournalCsv.Cell))).Append("\r\n");
        Line(Header);
        foreach (var a in acts)
            Line([
                a.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), a.Kind, a.Act,
                a.MemberId?.ToString() ?? "", a.Member ?? "", a.Detail, a.ById?.ToString() ?? "", a.By,
            ]);
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }
}

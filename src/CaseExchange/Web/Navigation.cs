using CaseExchange.Charter;

namespace CaseExchange.Web;

public sealed record NavItem(string Label, string Href, bool Current);

/// <summary>
/// The council's menu: one line per page a member may reach, shown only to those the charter lets in (the pages
/// check again).
/// </summary>
public static class Navigation
{
    private sealed record Entry(string Label, string Path, Func<CouncilPageModel, bool> Visible);

    private static readonly Entry[] Entries =
    [
        new("Accueil", "", _ => true),
        // Membre
        new("Situations", "situations", p => p.CanReadAnonymised),
        new("Rechercher", "recherche", p => p.CanReadAnonymised),
        new("Signaler une situation", "situations/nouvelle", p => p.GroupsWhereICan(Capabilities.ReferSituations).Any()),
        // Référent
        new("Mes suivis", "suivis", p => p.Me.HasFollowUps),
        // Coordonnateur (and an animateur, for their groups)
        new("À faire", "a-faire", p => p.CanPrepareSeances),
        new("Groupes de travail", "groupes", p => p.HasCouncilCapability(Capabilities.ManageGroups)),
        new("Membres", "membres", p => p.HasCouncilCapability(Capabilities.ManageCouncil)),
        new("Partenaires", "partenaires", p => p.HasCouncilCapability(Capabilities.ManageCouncil)),
        new("Communes et maires", "communes", p => p.HasCouncilCapability(Capabilities.ManageCouncil)),
        new("Import du tableur", "import", p => p.HasCouncilCapability(Capabilities.ManageCouncil)),
        new("Séances", "seances", p => p.CanPrepareSeances),
        new("Droit d'accès", "droit-acces", p => p.HasCouncilCapability(Capabilities.AnswerAccessRequests)),
        // Président (and coordonnateur)
        new("Statistiques", "statistiques", p => p.HasCouncilCapability(Capabilities.ReadStatistics) || p.HasCouncilCapability(Capabilities.ReadCommuneStatistics)),
        // Auditeur
        new("Journal des accès", "journal", p => p.HasCouncilCapability(Capabilities.ReadJournal)),
        // Offered to those whose work leaves traces (group members, readers of the situations); the page stays open to every member.
        new("Mes traces", "mes-traces", p => p.Me.Groups.Count > 0 || p.CanReadAnonymised),
        new("Charte", "charte", _ => true),
    ];

    public static IReadOnlyList<NavItem> For(CouncilPageModel page)
    {
        var path = page.Request.Path.Value?.TrimEnd('/') ?? "";
        var visible = Entries.Where(e => e.Visible(page)).Select(e => (Entry: e, Href: page.Href(e.Path))).ToList();
        // The current entry is the longest one the path starts with ("situations/nouvelle" rather than "situations").
        var current = visible.Where(v => path == v.Href || path.StartsWith(v.Href + "/", StringComparison.Ordinal))
            .OrderByDescending(v => v.Href.Length).Select(v => v.Href).FirstOrDefault();
        return [.. visible.Select(v => new NavItem(v.Entry.Label, v.Href, v.Href == current))];
    }
}

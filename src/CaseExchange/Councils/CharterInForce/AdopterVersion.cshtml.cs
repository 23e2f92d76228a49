using CaseExchange.Charter;
using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Councils.CharterInForce;

public sealed class CharterVersionForm
{
    public string? Version { get; set; }
    public string? Charte { get; set; }
    public string? Reglement { get; set; }

    /// <summary>The entries kept, as <c>list:code</c> (one checkbox per entry of the deployment's lists).</summary>
    public List<string> Kept { get; set; } = [];

    public int? StatisticsMinimumCount { get; set; }
    public int? InactiveArchiveYears { get; set; }
    public int? AgeLimitYears { get; set; }

    public static string Entry(string list, string code) => $"{list}:{code}";

    public AdoptCouncilCharter AsCommand() => new(Version, Charte, Reglement,
        CharterLists.All.ToDictionary(l => l.Name,
            l => (IReadOnlyList<string>)[.. Kept.Where(k => k.StartsWith(l.Name + ":", StringComparison.Ordinal)).Select(k => k[(l.Name.Length + 1)..])]),
        StatisticsMinimumCount, InactiveArchiveYears, AgeLimitYears);
}

/// <summary>
/// The coordonnateur puts in force the council's own charter version, as its plenary adopted it: texts, the entries kept
/// of each closed list of the deployment, the statistics threshold and the retention periods, within the deployment's bounds.
/// </summary>
public sealed class AdopterVersionModel : CouncilPageModel
{
    [BindProperty] public CharterVersionForm Input { get; set; } = new();

    public CharterPolicy Deployment => CouncilRequest.DeploymentPolicy;

    public async Task OnGetAsync()
    {
        Actor.RequireCouncilCapability(Policy, Capabilities.ManageCouncil);
        // The form starts from the version in force: its texts, its lists, its values.
        var history = await CharterVersionHistory.LoadAsync(Session, Deployment, HttpContext.RequestAborted);
        var inForce = history.LastOrDefault(v => v.Fingerprint == Policy.Fingerprint);
        Input = new CharterVersionForm
        {
            Charte = inForce?.Charte ?? Deployment.CharteText,
            Reglement = inForce?.Reglement ?? Deployment.ReglementText,
            Kept = [.. CharterLists.All.SelectMany(l => l.Of(Policy).Select(e => CharterVersionForm.Entry(l.Name, e.Code)))],
            StatisticsMinimumCount = Policy.Statistics.MinimumCount,
            InactiveArchiveYears = Policy.Retention.InactiveArchiveYears,
            AgeLimitYears = Policy.Retention.AgeLimitYears,
        };
    }

    public Task<IActionResult> OnPostAsync() => SubmitAsync(
        () => Task.FromResult(AdoptCouncilCharterUseCase.Handle(CouncilRequest, Input.AsCommand())),
        adopted =>
        {
            Tell($"La version {adopted.Version} de la charte est en vigueur : chaque membre doit la signer avant tout nouvel accès nominatif.");
            return Redirect(Href("charte"));
        },
        () =>
        {
            Actor.RequireCouncilCapability(Policy, Capabilities.ManageCouncil);
            return Task.CompletedTask;
        });
}

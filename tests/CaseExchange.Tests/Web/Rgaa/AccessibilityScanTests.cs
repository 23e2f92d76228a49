using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using CaseExchange.Tests.Authorization;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Web.Accessibility;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CaseExchange.Tests.Web.Rgaa;

/// <summary>
/// The matrix's council on Kestrel (<see cref="PageAuthorizationTests.Matrix"/> arranges each page's state on it) and one
/// Chromium with one tab per role, reused from page to page.
/// </summary>
public sealed class AccessibilityScanFixture : MatrixFixture, IAsyncDisposable
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private readonly Dictionary<Caller, IPage> _pages = [];

    protected override bool OwnHost => true;

    protected override Task<TestService> StartOwnAsync(string connectionString) => TestService.StartOnKestrelAsync(connectionString);

    protected override async Task SeedAsync(TestService service)
    {
        if (!BrowserFixture.CanRun) return;
        await base.SeedAsync(service);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFixture.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--lang=fr-FR"],
        });
    }

    /// <summary>The tab of one role (signed in through the sign-in page once), or of an anonymous visitor.</summary>
    public async Task<IPage> PageOfAsync(Caller caller)
    {
        if (_pages.TryGetValue(caller, out var existing)) return existing;
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Service.BaseAddress.ToString().TrimEnd('/'),
            Locale = "fr-FR",
            IgnoreHTTPSErrors = true,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        if (SubjectOf(caller) is { } subject)
        {
            await page.GotoAsync("/connexion");
            await page.GetByLabel("Identifiant du membre").FillAsync(subject);
            await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter", Exact = true }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex($"/c/{Regex.Escape(Council.Code)}$"), new() { Timeout = 20_000 });
        }
        return _pages[caller] = page;
    }

    public new async ValueTask DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        await base.DisposeAsync();
    }
}

/// <summary>
/// RGAA 4.1 (WCAG 2.1 A and AA): every page of the service — the rows of <see cref="PageAuthorizationTests.Matrix"/>,
/// which a new page cannot miss — is opened by every role that reaches it and checked by axe-core in Chromium. Any
/// serious or critical violation fails. The results are what the déclaration d'accessibilité says: the scan writes them
/// to src/CaseExchange/Web/Accessibility/scan-results.json when they differ from the committed file, and fails until the
/// new file is committed.
/// </summary>
[Collection(Journeys.JourneysCollection.Name)]
public sealed class AccessibilityScanTests(AccessibilityScanFixture fixture) : IClassFixture<AccessibilityScanFixture>
{
    /// <summary>The roles of the issue: coordonnateur, membre (référent of the matrix's follow-up), a member who has not signed, auditeur, président.</summary>
    private static readonly (Caller Caller, string Role)[] Roles =
    [
        (Caller.Coordonnateur, "coordonnateur"),
        (Caller.MemberOfHoldingGroup, "membre et référent"),
        (Caller.UnsignedMember, "membre sans charte signée"),
        (Caller.Auditeur, "auditeur"),
        (Caller.President, "président"),
        (Caller.Anonymous, "visiteur non connecté"),
    ];

    private static readonly AxeRunOptions Options = Web.Accessibility.AxeOptions;

    [Fact]
    public async Task Every_page_seen_by_every_role_has_no_serious_or_critical_violation_and_the_statement_is_up_to_date()
    {
        Assert.SkipUnless(BrowserFixture.CanRun, BrowserFixture.SkipReason);
        var started = Stopwatch.StartNew();
        await The_engine_finds_what_it_must(await fixture.PageOfAsync(Caller.Anonymous));
        var pages = new List<ScannedPage>();
        var passed = new SortedSet<string>(StringComparer.Ordinal);
        var violations = new Dictionary<(string Rule, string Impact), (string Help, SortedSet<string> Pages)>();
        var scans = 0;
        string? engine = null;

        async Task ScanAsync(Caller caller, string role, string route, string url)
        {
            var page = await fixture.PageOfAsync(caller);
            await page.GotoAsync(url);
            await ScanAsShownAsync(page, role, route);
        }

        async Task ScanAsShownAsync(IPage page, string role, string route)
        {
            var result = await page.RunAxe(Options);
            scans++;
            engine ??= $"{result.TestEngine.Name} {result.TestEngine.Version}";
            foreach (var rule in result.Passes) passed.Add(rule.Id);
            foreach (var rule in result.Violations)
            {
                var key = (rule.Id, rule.Impact ?? "minor");
                if (!violations.TryGetValue(key, out var found)) violations[key] = found = (rule.Help, new SortedSet<string>(StringComparer.Ordinal));
                found.Pages.Add($"{route} ({role})");
                if (rule.Impact is "serious" or "critical")
                    Console.WriteLine($"[axe] {route} ({role}) {rule.Id} {rule.Impact}: {string.Join(" | ", rule.Nodes.Take(5).Select(n => n.Html))}");
            }
        }

        foreach (var (route, row) in PageAuthorizationTests.Matrix.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var reaching = Roles.Where(r => row.Expected[r.Caller] == 200).ToList();
            // A public page looks the same to everyone: the anonymous visitor's view. The error page is reached by its status.
            if (row.Expected.Values.Distinct().Count() == 1)
                reaching = row.Expected[Caller.Anonymous] is 200 or >= 400 ? [Roles.Single(r => r.Caller == Caller.Anonymous)] : [];
            if (reaching.Count == 0) continue;
            var url = await row.Arrange(fixture);
            foreach (var (caller, role) in reaching) await ScanAsync(caller, role, route, url);
            pages.Add(new ScannedPage(route, [.. reaching.Select(r => r.Role)]));
        }
        // The refusal page (403), as a signed-in member meets it.
        var refused = PageAuthorizationTests.Matrix.First(r => r.Value.Expected[Caller.President] == 403);
        await ScanAsync(Caller.President, "président (refus)", "/erreur/{code:int?}", await refused.Value.Arrange(fixture));
        pages[pages.FindIndex(p => p.Route == "/erreur/{code:int?}")] = new ScannedPage("/erreur/{code:int?}", ["visiteur non connecté", "président (refus)"]);
        // States that only a form reaches, which no address of the matrix shows: the search's results, the import's report.
        foreach (var (route, role, page) in await StatesReachedByFormsAsync())
        {
            await ScanAsShownAsync(page, role, route);
            pages.Add(new ScannedPage(route, [role]));
        }

        var found = new ScanResults(DateOnly.FromDateTime(DateTime.UtcNow), engine ?? "axe-core", FullAudit: false, pages, [.. passed],
            [.. violations.OrderBy(v => v.Key.Rule, StringComparer.Ordinal).Select(v => new KnownViolation(v.Key.Rule, v.Key.Impact, v.Value.Help, [.. v.Value.Pages]))]);
        Console.WriteLine($"[axe] {scans} scans of {pages.Count} pages in {started.Elapsed.TotalSeconds:F1} s; " +
                          $"{found.Violations.Count} rules violated: {string.Join(", ", found.Violations.Select(v => $"{v.Rule} ({v.Impact}, {v.Pages.Count})"))}");

        var serious = found.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, "Serious or critical accessibility violations:\n" +
            string.Join("\n", serious.Select(v => $"{v.Rule} ({v.Impact}) {v.Help}: {string.Join(", ", v.Pages)}")));

        var committed = ScanResults.Committed;
        if (!SameFindings(committed, found))
        {
            var path = Path.Combine(RepositoryRoot(), "src", "CaseExchange", "Web", "Accessibility", "scan-results.json");
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(found, ScanResults.Json) + "\n", TestContext.Current.CancellationToken);
            Assert.Fail($"The déclaration d'accessibilité is out of date (scanned {committed.Date}): the scan's new results were written to {path}; commit them.");
        }
    }

    /// <summary>The search's results (a membre of the holding group, by pseudonym) and the import's report with its closing screen (the coordonnateur, a CSV with one refused row).</summary>
    private async Task<IReadOnlyList<(string Route, string Role, IPage Page)>> StatesReachedByFormsAsync()
    {
        var council = fixture.Council;
        var (_, pseudonym) = await fixture.Steps.ReferAsync();
        var member = await fixture.PageOfAsync(Caller.MemberOfHoldingGroup);
        await member.GotoAsync($"/c/{council.Code}/recherche");
        await member.Locator("#Pseudonyme").FillAsync(pseudonym);
        await member.Locator("form", new() { Has = member.Locator("#Pseudonyme") }).GetByRole(AriaRole.Button, new() { Name = "Rechercher" }).ClickAsync();
        await Expect(member.Locator("#resultats")).ToContainTextAsync(pseudonym);

        var person = TestPerson.Distinctive("Scan");
        var csv = Situations.SheetFiles.Csv([
            ["groupe", "motifs", "secteur", "urgence", "nom", "prénom", "date de naissance", "faits"],
            ["GT A (détenteur)", "errance", "nord", "normale", person.Nom, person.Prenom, person.DateNaissance.ToString("dd/MM/yyyy"), "Errance signalée"],
            ["GT A (détenteur)", "curiosite", "nord", "normale", "Sansmotif", "Refus", "01/02/2010", "Motif inconnu"],
        ]);
        var coordonnateur = await fixture.PageOfAsync(Caller.Coordonnateur);
        await coordonnateur.GotoAsync($"/c/{council.Code}/import");
        await coordonnateur.Locator("#Fichier").SetInputFilesAsync(new FilePayload { Name = "tableur.csv", MimeType = "text/csv", Buffer = csv });
        await coordonnateur.GetByRole(AriaRole.Button, new() { Name = "Importer" }).ClickAsync();
        await Expect(coordonnateur.Locator("h2#destruction")).ToBeVisibleAsync();
        return [
            ("/c/{council}/recherche — résultats", "membre et référent", member),
            ("/c/{council}/import — rapport et fin", "coordonnateur", coordonnateur),
        ];
    }

    /// <summary>Zero violations must mean the engine ran: on a page built to fail, it finds the missing label and alternative.</summary>
    private static async Task The_engine_finds_what_it_must(IPage page)
    {
        await page.SetContentAsync("<!DOCTYPE html><html><head><title>t</title></head><body><main><h1>t</h1><img src=\"x.png\"><input type=\"text\"></main></body></html>");
        var result = await page.RunAxe(Options);
        Assert.Equal(["image-alt", "label"], result.Violations.Select(v => v.Id).Where(id => id is "image-alt" or "label").Order().ToArray());
    }

    /// <summary>The same pages, roles and violations (the date and the engine's version alone do not make the statement stale).</summary>
    public static bool SameFindings(ScanResults committed, ScanResults found) =>
        Json(committed.Pages) == Json(found.Pages) && Json(committed.Violations) == Json(found.Violations)
        && Json(committed.RulesPassed) == Json(found.RulesPassed);

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, ScanResults.Json);

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "CaseExchange.sln"))) return directory.FullName;
        throw new InvalidOperationException("The repository's root (CaseExchange.sln) was not found above the test binaries.");
    }
}

using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using CaseExchange.Charter;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CaseExchange.Tests.Web;

/// <summary>
/// The real service on Kestrel, on its own database, with the test council of the authorisation matrix, and a headless
/// Chromium (Debian's package, <c>/usr/bin/chromium</c>) driven by Playwright. One browser for the class; each test opens
/// its own context (its own cookies), signed in as one member.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public static readonly string ChromiumPath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";

    /// <summary>Locally a machine without Chromium skips the browser tests; in CI (CI is set) they must run, and fail without it.</summary>
    public static bool CanRun => File.Exists(ChromiumPath) || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    public const string SkipReason = "Chromium is not installed at /usr/bin/chromium (apt-get install chromium; .ci/run installs it).";

    /// <summary>A member registered but who has not signed the charter yet, in group A: the membre journey starts there.</summary>
    public const string NewMember = "web.nouvelle-membre";

    public TestService Service { get; private set; } = null!;
    public TestCouncil Council { get; private set; } = null!;
    public SituationSteps Steps { get; private set; } = null!;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async ValueTask InitializeAsync()
    {
        if (!CanRun) return;
        var started = Stopwatch.StartNew();
        var postgres = await TestPostgres.GetAsync();
        Service = await TestService.StartOnKestrelAsync(await postgres.CreateDatabaseAsync("web"));
        Council = await TestCouncil.CreateAsync(Service, "web");
        Steps = new SituationSteps(Service, Council);
        // The partner directory the pages offer for action owners (nothing else can be typed there); the coordonnateur's
        // journey registers the séance's guest through its page.
        await Council.PartnerAsync(Service, "Prévention spécialisée", "educateur-prevention");
        var member = await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/members",
            new { subject = NewMember, displayName = "Léa Nouvelle", organisation = "Mission locale", function = "Conseillère", councilRoles = Array.Empty<string>() }, 201);
        await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/groups/{Council.GroupA}/members",
            new { memberId = member.GetProperty("memberId").GetGuid(), role = Roles.Membre });

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--lang=fr-FR"],
        });
        Assertions.SetDefaultExpectTimeout(15_000);
        Console.WriteLine($"[browser] service, council and Chromium ready in {started.Elapsed.TotalSeconds:F1} s");
    }

    /// <summary>A fresh browser context signed in through the sign-in page, on the council's home.</summary>
    public async Task<IPage> SignInAsync(string subject)
    {
        var page = await NewPageAsync();
        await Journeys.PageTimes.RecordAsync(page, subject[(subject.LastIndexOf('.') + 1)..]);
        await page.GotoAsync("/connexion");
        await page.GetByLabel("Identifiant du membre").FillAsync(subject);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter", Exact = true }).ClickAsync();
        // The URL is polled rather than awaited with WaitForURL, whose wait for the "load" event after a double
        // redirect (sign-in → / → the council) was seen to miss it under load and time out on a loaded page.
        await Expect(page).ToHaveURLAsync(new Regex($"/c/{Regex.Escape(Council.Code)}$"));
        await Expect(page.Locator("h1")).ToBeVisibleAsync();
        return page;
    }

    /// <summary>A fresh browser context (its own cookies), not signed in, on a blank page.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Service.BaseAddress.ToString().TrimEnd('/'),
            Locale = "fr-FR",
            IgnoreHTTPSErrors = true, // the test run's self-signed certificate
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Journeys.PageTimes.Save();
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (Service is not null) await Service.DisposeAsync();
    }
}

/// <summary>Screenshots of the journeys, under artifacts/screenshots/ at the repository's root.</summary>
public static class Screenshots
{
    public static readonly string Folder = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");

    public static async Task SaveAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Folder, $"{name}.png"), FullPage = true });
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "CaseExchange.sln"))) return directory.FullName;
        return AppContext.BaseDirectory;
    }
}

/// <summary>
/// The RGAA basics a test can check on every page: French language, a title, one h1, a skip link to the main
/// content, every field labelled, no empty link or button, tables with header cells, unique ids.
/// </summary>
public static class Accessibility
{
    private const string Checks = """
        () => {
          const problems = [];
          if (document.documentElement.lang !== 'fr') problems.push('html lang is not fr');
          if (!document.title.trim()) problems.push('no title');
          const h1 = document.querySelectorAll('h1').length;
          if (h1 !== 1) problems.push(`${h1} h1 elements`);
          const skip = document.querySelector('a.skip-link');
          if (!skip || skip.getAttribute('href') !== '#contenu' || !document.getElementById('contenu')) problems.push('no skip link to #contenu');
          for (const field of document.querySelectorAll('input, select, textarea')) {
            if (['hidden', 'submit', 'button', 'reset'].includes(field.type)) continue;
            const labelled = [...(field.labels || [])].some(l => l.textContent.trim().length > 0)
              || field.getAttribute('aria-label') || field.getAttribute('aria-labelledby');
            if (!labelled) problems.push(`field without label: ${field.tagName.toLowerCase()} ${field.name || field.id}`);
          }
          for (const control of document.querySelectorAll('a, button')) {
            if (!control.textContent.trim() && !control.getAttribute('aria-label')) problems.push(`empty ${control.tagName.toLowerCase()}`);
          }
          for (const table of document.querySelectorAll('main table')) {
            if (!table.querySelector('th')) problems.push('table without header cells');
            for (const th of table.querySelectorAll('thead th')) if (!th.getAttribute('scope')) problems.push('column header without scope');
          }
          for (const image of document.querySelectorAll('img')) if (!image.hasAttribute('alt')) problems.push('image without alt');
          const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
          for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) problems.push(`duplicate id ${id}`);
          return problems;
        }
        """;

    /// <summary>WCAG 2.1 A/AA and axe-core's best practices, the base of RGAA 4.1.</summary>
    public static readonly Deque.AxeCore.Commons.AxeRunOptions AxeOptions = new()
    {
        RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
    };

    /// <summary>The checks above, then axe-core on the page as the journey left it (forms with errors, full files, filled tables): no serious or critical violation.</summary>
    public static async Task AssertAsync(IPage page)
    {
        var problems = await page.EvaluateAsync<string[]>(Checks);
        Assert.True(problems.Length == 0, $"{page.Url}:\n{string.Join("\n", problems)}");
        var result = await Deque.AxeCore.Playwright.PageExtensions.RunAxe(page, AxeOptions);
        foreach (var minor in result.Violations.Where(v => v.Impact is not ("serious" or "critical")))
            Console.WriteLine($"[axe] {page.Url}: {minor.Id} ({minor.Impact}) {minor.Help}");
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{page.Url}: axe-core violations:\n" + string.Join("\n",
            serious.Select(v => $"{v.Id} ({v.Impact}) {v.Help}: {string.Join(" | ", v.Nodes.Take(5).Select(n => n.Html))}")));
    }

    /// <summary>What a person must never see: a stack trace, an exception's name, an English framework message.</summary>
    public static async Task AssertNoTechnicalDetailAsync(IPage page)
    {
        var text = await page.Locator("body").InnerTextAsync();
        foreach (var leak in new[] { "Exception", "   at ", "Stack trace", "System.", "Microsoft.", "An error occurred", "Npgsql" })
            Assert.DoesNotContain(leak, text);
    }
}

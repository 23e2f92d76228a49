using CaseExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CaseExchange.Tests.Situations;

/// <summary>
/// The charter's "never in a log line", for the new surfaces: duplicate checks, name and birth-date searches (API and
/// page, granted, refused and invalid) and links write no identity value in any log line, at any level.
/// </summary>
public sealed class DuplicatesAndSearchLogNothingTests
{
    [Fact]
    public async Task No_log_line_of_a_duplicate_check_a_search_or_a_link_holds_an_identity_value()
    {
        var logs = new CapturedLogs();
        var database = await (await TestPostgres.GetAsync()).CreateDatabaseAsync("recherches");
        await using var service = await TestService.StartAsync(database,
            settings: new[] { "Default", "Microsoft", "Microsoft.AspNetCore", "Marten", "Wolverine", "JasperFx", "Npgsql" }
                .ToDictionary(category => $"Logging:LogLevel:{category}", _ => (string?)"Trace"),
            services: s => s.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)));
        var council = await TestCouncil.CreateAsync(service, "recherches");
        var person = TestPerson.Distinctive("Recherche");
        var (id, _, _) = await council.ReferAsync(service, person, "Faits fictifs");
        var (other, _, _) = await council.ReferAsync(service, TestPerson.Distinctive("Fratrie"), "Faits fictifs");

        var identity = new { nom = person.Nom, prenom = person.Prenom, dateNaissance = person.DateNaissance };
        foreach (var subject in new[] { council.MemberOfHoldingGroup, council.MemberOfOtherGroup, council.Coordonnateur, council.Auditeur })
            await service.PostAsync(subject, $"{council.Api}/duplicate-checks", identity);
        await service.PostAsync(council.MemberOfHoldingGroup, $"{council.Api}/duplicate-checks", new { nom = person.Nom });
        foreach (var subject in new[] { council.MemberOfHoldingGroup, council.MemberOfOtherGroup, council.Coordonnateur, council.Auditeur })
            await service.PostAsync(subject, $"{council.Api}/searches", new { nom = person.Nom, prenom = person.Prenom, purpose = "suivi" });
        await service.PostAsync(council.MemberOfHoldingGroup, $"{council.Api}/searches", new { dateNaissance = person.DateNaissance, purpose = "envie" });
        await service.PostAsync(council.MemberOfHoldingGroup, $"{council.Api}/searches", new { pseudonym = person.Nom });
        await service.PostAsync(council.Coordonnateur, $"{council.Api}/situation-links", new { situationId = id, otherSituationId = other, kind = "fratrie" });

        using var page = await service.PageClientAsync(council.MemberOfHoldingGroup);
        var url = $"/c/{council.Code}/recherche";
        var token = await Pages.AntiforgeryTokenAsync(page, url);
        await page.PostAsync($"{url}?handler=identite", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Identite.Nom"] = person.Nom, ["Identite.Prenom"] = person.Prenom, ["Identite.Purpose"] = "suivi",
        }), TestContext.Current.CancellationToken);

        Assert.True(logs.Lines.Count > 100, $"only {logs.Lines.Count} log lines captured: the capture is not working");
        var all = string.Join("\n", logs.Lines);
        foreach (var secret in person.Leakables())
            Assert.DoesNotContain(secret, all, StringComparison.OrdinalIgnoreCase);
    }
}

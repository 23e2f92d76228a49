using System.Text;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CaseExchange.Tests.Hosting;

/// <summary>
/// The charter's "never in a log line": every log the service writes at every level, through referrals, errors,
/// refusals, file openings and the right of access with distinctive names, holds none of them.
/// </summary>
public sealed class LogsHoldNoNominativeDataTests
{
    [Fact]
    public async Task No_log_line_at_any_level_holds_a_name_a_birth_date_an_address_or_a_fact()
    {
        var logs = new CapturedLogs();
        var database = await (await TestPostgres.GetAsync()).CreateDatabaseAsync("journaux");
        await using var service = await TestService.StartAsync(database,
            settings: new[] { "Default", "Microsoft", "Microsoft.AspNetCore", "Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware", "Marten", "Wolverine", "JasperFx", "Npgsql" }
                .ToDictionary(category => $"Logging:LogLevel:{category}", _ => (string?)"Trace"),
            services: s => s.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)));
        var council = await TestCouncil.CreateAsync(service, "journaux");
        var steps = new SituationSteps(service, council);
        var person = TestPerson.Distinctive("Journal");
        const string facts = "Faits confidentiels Pangolin";

        var (id, _) = await council.ReferAsync(service, person, facts);
        // A referral with errors echoes values nowhere; a malformed body neither.
        await service.PostAsync(council.MemberOfHoldingGroup, $"{council.Api}/situations", new
        {
            groupId = council.GroupA, reasons = new[] { "inconnu" }, sector = "nord", urgency = "normale",
            persons = new[] { new { role = "personne-suivie", nom = person.Nom, prenom = person.Prenom, courriel = "pas-une-adresse " + person.Nom } },
            facts,
        });
        using (var request = new HttpRequestMessage(HttpMethod.Post, $"{council.Api}/situations")
               { Content = new StringContent($"{{\"facts\": \"{facts} {person.Nom}", Encoding.UTF8, "application/json") })
        {
            request.Headers.Authorization = new("Bearer", await service.TokenAsync(council.MemberOfHoldingGroup));
            await service.Client.SendAsync(request);
        }
        // Client errors quoting the name: a body of the wrong shape, a control character, an unparseable query value; and
        // searches by a name in query strings, which the framework's request logging would print (issue 13, defect 10).
        foreach (var body in new[] { $"{{\"groupId\": \"{person.Nom}\"}}", $"{{\"facts\": \"{person.Nom}\\u0000\"}}", $"[\"{person.Nom}\"]" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{council.Api}/situations") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Authorization = new("Bearer", await service.TokenAsync(council.MemberOfHoldingGroup));
            await service.Client.SendAsync(request);
        }
        await service.GetAsync(council.Auditeur, $"{council.Api}/journal/entries?pseudonym={Uri.EscapeDataString(person.Nom)}");
        await service.GetAsync(council.Auditeur, $"{council.Api}/journal/export?pseudonym={Uri.EscapeDataString(person.Prenom)}");
        await service.GetAsync(council.Auditeur, $"{council.Api}/journal/entries?page={Uri.EscapeDataString(person.Nom)}");
        await service.GetAsync(council.Auditeur, $"{council.Api}/journal/entries?from={Uri.EscapeDataString(person.Adresse)}");
        await service.PostAsync(council.MemberOfHoldingGroup, $"{council.Api}/situations/{id}/file-openings", new { purpose = "suivi" });
        await service.PostAsync(council.MemberOfOtherGroup, $"{council.Api}/situations/{id}/file-openings", new { purpose = "suivi" });
        await service.PostAsync(council.Coordonnateur, $"{council.Api}/access-requests",
            new { nom = person.Nom, prenom = person.Prenom, dateNaissance = person.DateNaissance });
        await steps.ClosedAsync();

        Assert.True(logs.Lines.Count > 100, $"only {logs.Lines.Count} log lines captured: the capture is not working");
        Assert.Contains(logs.Lines, l => l.StartsWith("Debug") || l.StartsWith("Trace"));
        // Client errors are the client's: logged at Information at most, never as errors of the service.
        Assert.DoesNotContain(logs.Lines, l => l.StartsWith("Error") || l.StartsWith("Critical"));
        Assert.Contains(logs.Lines, l => l.Contains("Request refused at the input boundary"));
        var all = string.Join("\n", logs.Lines);
        foreach (var secret in person.Leakables().Append(facts).Append("Pangolin"))
            Assert.DoesNotContain(secret, all, StringComparison.OrdinalIgnoreCase);
    }
}

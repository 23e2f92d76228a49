using System.Text.Json;
using CaseExchange.Retention;
using CaseExchange.Situations;
using CaseExchange.Tests.Infrastructure;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CaseExchange.Tests.Retention;

/// <summary>Charter rule 5, with a clock the test controls: each path to erasure, and nothing erased early.</summary>
public sealed class RetentionTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow;

    private static async Task<(TestService Service, TestCouncil Council, FakeTimeProvider Clock, string Database)> StartAsync(string code)
    {
        var database = await (await TestPostgres.GetAsync()).CreateDatabaseAsync(code);
        var clock = new FakeTimeProvider(Start);
        // The sweeps of these tests are the test's own: no background loop racing them.
        var service = await TestService.StartAsync(database, clock, new Dictionary<string, string?> { ["Retention:Enabled"] = "false" });
        return (service, await TestCouncil.CreateAsync(service, code), clock, database);
    }

    private static async Task<SweepReport> SweepAtAsync(TestService service, FakeTimeProvider clock, DateTimeOffset at)
    {
        var sweeper = service.Services.GetRequiredService<RetentionSweeper>();
        clock.SetUtcNow(at);
        return await sweeper.SweepAsync();
    }

    private static async Task<int> ErasureEventsAsync(TestService service, string council, Guid situationId)
    {
        await using var session = service.Store.QuerySession(council);
        var events = await session.Events.FetchStreamAsync(situationId);
        return events.Count(e => e.Data is NominativeDataErased);
    }

    [Fact]
    public async Task A_closed_situation_is_erased_when_its_inactive_archive_period_ends_and_not_a_day_before()
    {
        var (service, council, clock, _) = await StartAsync("retention-periode");
        await using var _ = service;
        var id = await new SituationSteps(service, council).ClosedAsync();

        var early = await SweepAtAsync(service, clock, Start.AddYears(3).AddDays(-1));
        Assert.Equal(0, early.Erased);
        await Answers.ExpectAsync(await service.PostAsync(council.MemberOfHoldingGroup, $"{council.Api}/situations/{id}/file-openings", new
        {
            purpose = "suivi", archiveReason = new { code = "contentieux", detail = "Encore dans la période d'archive" },
        }), 200);

        var due = await SweepAtAsync(service, clock, Start.AddYears(3).AddHours(1));
        Assert.Equal(1, due.Erased);
        var view = await service.GetJsonAsync<JsonElement>(council.Coordonnateur, $"{council.Api}/situations/{id}");
        Assert.True(view.GetProperty("nominativeDataErased").GetBoolean());
        var refused = await Answers.ProblemAsync(await service.PostAsync(council.MemberOfHoldingGroup, $"{council.Api}/situations/{id}/file-openings", new
        {
            purpose = "suivi", archiveReason = new { code = "contentieux", detail = "Après la fin de la conservation" },
        }), 403);
        Assert.Contains("donnees-effacees", refused.GetProperty("type").GetString());
        Assert.Equal(1, await ErasureEventsAsync(service, council.Code, id));
    }

    [Fact]
    public async Task An_open_situation_is_erased_on_the_25th_birthday_of_the_person_followed()
    {
        var (service, council, clock, _) = await StartAsync("retention-age");
        await using var _ = service;
        var person = TestPerson.Distinctive("Age") with { DateNaissance = DateOnly.FromDateTime(Start.UtcDateTime).AddYears(-25).AddDays(40) };
        var (id, _) = await council.ReferAsync(service, person, "Faits d'une personne de bientôt 25 ans");
        var birthday = new DateTimeOffset(person.DateNaissance.AddYears(25).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        Assert.Equal(0, (await SweepAtAsync(service, clock, birthday.AddMinutes(-1))).Erased);
        Assert.Equal(1, (await SweepAtAsync(service, clock, birthday.AddMinutes(1))).Erased);

        await using var session = service.Store.QuerySession(council.Code);
        var erased = (await session.Events.FetchStreamAsync(id)).Select(e => e.Data).OfType<NominativeDataErased>().Single();
        Assert.Equal(ErasureCauses.AgeLimitReached, erased.Cause);
    }

    [Fact]
    public async Task The_age_limit_does_not_apply_to_a_person_referred_after_25()
    {
        var (service, council, clock, _) = await StartAsync("retention-adulte");
        await using var _ = service;
        var adult = TestPerson.Distinctive("Adulte") with { DateNaissance = DateOnly.FromDateTime(Start.UtcDateTime).AddYears(-40) };
        await council.ReferAsync(service, adult, "Faits d'un adulte");
        Assert.Equal(0, (await SweepAtAsync(service, clock, Start.AddYears(10))).Erased);
    }

    [Fact]
    public async Task A_sweep_over_more_situations_than_one_page_erases_exactly_the_due_ones()
    {
        // Pages of 2 over 5 live situations: three pages, read in the order of their ids (random), with the age limits
        // decrypted page by page.
        var database = await (await TestPostgres.GetAsync()).CreateDatabaseAsync("retention-pages");
        var clock = new FakeTimeProvider(Start);
        await using var service = await TestService.StartAsync(database, clock,
            new Dictionary<string, string?> { ["Retention:Enabled"] = "false", ["Retention:SweepPageSize"] = "2" });
        var council = await TestCouncil.CreateAsync(service, "retention-pages");
        var closed = await new SituationSteps(service, council).ClosedAsync();
        var soon25 = TestPerson.Distinctive("Bientot") with { DateNaissance = DateOnly.FromDateTime(Start.UtcDateTime).AddYears(-25).AddDays(40) };
        var (turning25, _) = await council.ReferAsync(service, soon25, "Faits d'une personne de bientôt 25 ans");
        var (adult, _) = await council.ReferAsync(service, TestPerson.Distinctive("Majeur") with
        {
            DateNaissance = DateOnly.FromDateTime(Start.UtcDateTime).AddYears(-40),
        }, "Faits d'un adulte");
        var (minor, _) = await council.ReferAsync(service, TestPerson.Distinctive("Mineur"), "Faits d'une mineure de 16 ans");
        var (open, _) = await council.ReferAsync(service, TestPerson.Distinctive("Ouverte") with
        {
            DateNaissance = DateOnly.FromDateTime(Start.UtcDateTime).AddYears(-30),
        }, "Faits d'une situation ouverte");

        // Before anything is due: every page read, nothing erased (the 25th birthday is then within the horizon).
        var first = await SweepAtAsync(service, clock, Start.AddDays(30));
        Assert.Equal((5, 0), (first.Examined, first.Erased));

        // After the archive period of the closed one and the 25th birthday; the 16-year-old's limit is years away.
        var due = await SweepAtAsync(service, clock, Start.AddYears(3).AddHours(1));
        Assert.Equal((5, 2), (due.Examined, due.Erased));
        foreach (var (id, erasures) in new[] { (closed, 1), (turning25, 1), (adult, 0), (minor, 0), (open, 0) })
            Assert.Equal(erasures, await ErasureEventsAsync(service, council.Code, id));

        var next = await SweepAtAsync(service, clock, Start.AddYears(3).AddHours(2));
        Assert.Equal((3, 0), (next.Examined, next.Erased));
    }

    [Fact]
    public async Task A_restart_between_closure_and_due_date_still_erases_on_time_exactly_once()
    {
        var database = await (await TestPostgres.GetAsync()).CreateDatabaseAsync("retention-redemarrage");
        Guid id;
        TestCouncil council;
        await using (var before = await TestService.StartAsync(database, new FakeTimeProvider(Start)))
        {
            council = await TestCouncil.CreateAsync(before, "retention-redemarrage");
            id = await new SituationSteps(before, council).ClosedAsync();
        }

        // Two nodes come back after the due date; each sweeps at start-up and again on its own.
        var after = Start.AddYears(3).AddDays(2);
        var clockA = new FakeTimeProvider(after);
        var clockB = new FakeTimeProvider(after);
        await using var nodeA = await TestService.StartAsync(database, clockA);
        await using var nodeB = await TestService.StartAsync(database, clockB);
        var sweptA = nodeA.Services.GetRequiredService<RetentionSweeper>().WhenSweptAsync(after);
        var sweptB = nodeB.Services.GetRequiredService<RetentionSweeper>().WhenSweptAsync(after);
        await Task.WhenAll(sweptA, sweptB).WaitAsync(TimeSpan.FromSeconds(60));
        await Task.WhenAll(
            nodeA.Services.GetRequiredService<RetentionSweeper>().SweepAsync(),
            nodeB.Services.GetRequiredService<RetentionSweeper>().SweepAsync());

        Assert.Equal(1, await ErasureEventsAsync(nodeA, council.Code, id));
        await using var session = nodeA.Store.QuerySession(council.Code);
        Assert.True((await session.LoadAsync<Situation>(id))!.IsErased);
    }

    [Fact]
    public async Task After_erasure_not_even_the_operator_with_the_outside_secret_can_decrypt_a_restored_dump()
    {
        var (service, council, clock, database) = await StartAsync("retention-dump");
        Guid id;
        var person = TestPerson.Distinctive("Efface");
        await using (service)
        {
            id = (await council.ReferAsync(service, person, "Faits effacés Tamanoir")).Id;
            var steps = new SituationSteps(service, council);
            var seance = await steps.NewSeanceAsync();
            await service.PostJsonAsync<JsonElement>(council.Animateur, $"{council.Api}/situations/{id}/agenda", new { seanceId = seance, expectedVersion = 1 });
            await service.PostJsonAsync<JsonElement>(council.Animateur, $"{council.Api}/situations/{id}/examinations", new
            {
                seanceId = seance, discussionSummary = "Résumé Tamanoir", expectedVersion = 2, decisions = new[] { new { kind = "sans-suite" } },
            });
            await service.PostJsonAsync<JsonElement>(council.Animateur, $"{council.Api}/situations/{id}/closure", new { outcome = "sans-objet", expectedVersion = 3 });
            Assert.Equal(1, (await SweepAtAsync(service, clock, Start.AddYears(4))).Erased);
        }

        var dump = await PgTools.DumpAsync(database);
        foreach (var secret in person.Leakables().Append("Tamanoir"))
            Assert.DoesNotContain(secret, dump);
        var restored = await (await TestPostgres.GetAsync()).CreateDatabaseAsync("retention-restaure");
        await PgTools.RestoreAsync(restored, dump);
        await using var operatorService = await TestService.StartAsync(restored, new FakeTimeProvider(Start.AddYears(4)),
            new Dictionary<string, string?> { ["Retention:Enabled"] = "false" });
        var keys = operatorService.Services.GetRequiredService<CaseExchange.Protection.SituationKeys>();
        await using var session = operatorService.Store.QuerySession(council.Code);
        var gone = await Assert.ThrowsAsync<CaseExchange.Http.ProblemException>(() => keys.SealerForAsync(session, id));
        Assert.Equal(410, gone.Problem.Status);
        // The non-nominative skeleton remains.
        var view = await operatorService.GetJsonAsync<JsonElement>(council.Coordonnateur, $"{council.Api}/situations/{id}");
        Assert.Equal("cloturee", view.GetProperty("status").GetString());
    }
}

using System.Text.Json;
using CaseExchange.Tests.Infrastructure;
using CaseExchange.Tests.Seances;

namespace CaseExchange.Tests.Protection;

/// <summary>
/// Charter rule 1: nominative data is encrypted before it reaches the event store, and a dump alone decrypts nothing.
/// </summary>
public sealed class EncryptionAtRestTests
{
    [Fact]
    public async Task A_database_dump_holds_no_nominative_value_in_clear_and_decrypts_nothing_without_the_outside_secret()
    {
        var postgres = await TestPostgres.GetAsync();
        var original = await postgres.CreateDatabaseAsync("chiffrement");
        var person = TestPerson.Distinctive("Dump");
        var otherGroup = TestPerson.Distinctive("DumpGroupeB") with { Telephone = "07 41 41 41 41" };
        var nextWeekPerson = TestPerson.Distinctive("DumpSemaine") with { Telephone = "07 42 42 42 42" };
        var examinedPerson = TestPerson.Distinctive("DumpSeance") with { Telephone = "07 43 43 43 43" };
        string[] freeTexts =
        [
            "Faits confidentiels Ornithorynque", "Résumé des échanges Ornithorynque", "Décision détaillée Ornithorynque",
            "Appeler Mme Zorglubovitch Ornithorynque", "Note de suivi Ornithorynque", "Commentaire de clôture Ornithorynque",
        ];
        Guid situationId;
        TestCouncil council;
        await using (var service = await TestService.StartAsync(original))
        {
            council = await TestCouncil.CreateAsync(service, "chiffrement");
            var steps = new SituationSteps(service, council);
            situationId = (await council.ReferAsync(service, person, freeTexts[0])).Id;
            var seance = await steps.NewSeanceAsync();
            var api = $"{council.Api}/situations/{situationId}";
            await service.PostJsonAsync<JsonElement>(council.Animateur, $"{api}/agenda", new { seanceId = seance, expectedVersion = 1 });
            await service.PostJsonAsync<JsonElement>(council.Animateur, $"{api}/examinations", new
            {
                seanceId = seance, discussionSummary = freeTexts[1], expectedVersion = 2, decisions = new[] { new { kind = "orientation", detail = freeTexts[2] } },
            });
            await service.PostJsonAsync<JsonElement>(council.Animateur, $"{api}/follow-up", new
            {
                referentId = council.Id(council.Referent), expectedVersion = 3,
                actions = new[] { new { kind = "contact-famille", ownerPartnerId = await council.PartnerAsync(service), dueOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(5)), description = freeTexts[3] } },
            });
            var action = (await service.GetJsonAsync<JsonElement>(council.Referent, api)).GetProperty("actions")[0].GetProperty("actionId").GetGuid();
            await service.PostJsonAsync<JsonElement>(council.Referent, $"{api}/follow-up/records", new { actionId = action, status = "realisee", note = freeTexts[4], expectedVersion = 4 });
            await service.PostJsonAsync<JsonElement>(council.Animateur, $"{api}/closure", new { outcome = "situation-stabilisee", comment = freeTexts[5], expectedVersion = 5 });
            // Opening the file decrypts everything once: nothing of it may be written back anywhere.
            var file = await service.PostJsonAsync<JsonElement>(council.MemberOfHoldingGroup, $"{api}/file-openings", new
            {
                purpose = "suivi", archiveReason = new { code = "contentieux", detail = "Réclamation écrite reçue en mairie" },
            });
            Assert.Contains(person.Nom, file.GetRawText());

            // More persons, spread over another group and several séances; their names are tried in every clear-text
            // field (all refused), and a CR is produced with clean texts.
            var seances = new SeanceSteps(service, council);
            var inGroupB = await IdentityIndexTests.ReferAsync(service, council, council.MemberOfOtherGroup, council.GroupB, otherGroup, "Faits du groupe B Ornithorynque");
            var seanceB = await steps.NewSeanceAsync(council.GroupB);
            await service.PostJsonAsync<JsonElement>(council.Coordonnateur, $"{council.Api}/situations/{inGroupB}/agenda", new { seanceId = seanceB, expectedVersion = 1 });
            var nextWeek = (await council.ReferAsync(service, nextWeekPerson, "Faits de la semaine prochaine Ornithorynque")).Id;
            await seances.PlaceAsync(nextWeek, await seances.ScheduleAsync(DateTimeOffset.UtcNow.AddDays(7)));
            var closed = await seances.ClosedSeanceAsync([examinedPerson]);
            foreach (var named in new[] { otherGroup, nextWeekPerson, examinedPerson, person })
            {
                await Answers.ProblemAsync(await seances.GenerateAsync(closed.SeanceId, $"Point sur {named.Prenom} {named.Nom}."), 400);
                // Action owners and guests come from the partner directory: its organisation name is the one typed text.
                await Answers.ProblemAsync(await service.PostAsync(council.Coordonnateur, $"{council.Api}/partners",
                    new { organisation = $"Famille {named.Nom}", role = "mediateur" }), 400);
                await Answers.ProblemAsync(await service.PostAsync(council.Coordonnateur, $"{council.Api}/situations/{nextWeek}/erasure-orders",
                    new { reason = "decision-de-justice", reference = $"TJ {named.Nom}" }), 400);
            }
            await Answers.ExpectAsync(await seances.GenerateAsync(closed.SeanceId, "Le groupe a fait le point.", "Prochaine séance en juin."), 201);
        }

        var dump = await PgTools.DumpAsync(original);
        Assert.Contains($"caseexchange.{CaseExchange.Protection.IdentityIndex.TableName}", dump); // the index is in the dump…
        foreach (var other in new[] { otherGroup, nextWeekPerson, examinedPerson })
            foreach (var secret in other.Leakables())
                Assert.DoesNotContain(secret, dump, StringComparison.OrdinalIgnoreCase); // …and no value of any person, of any group
        Assert.Contains("S-", dump);                 // the dump does hold the situation…
        Assert.Contains("v1:", dump);                // …and its sealed values
        foreach (var secret in person.Leakables().Concat(freeTexts).Append("Ornithorynque").Append("Philomène"))
            Assert.DoesNotContain(secret, dump, StringComparison.OrdinalIgnoreCase);

        var restored = await postgres.CreateDatabaseAsync("restauration");
        await PgTools.RestoreAsync(restored, dump);

        // Without the outside secret (another key ring certificate), the restored database opens nothing.
        await using (var attacker = await TestService.StartAsync(restored,
                         settings: new Dictionary<string, string?> { ["Protection:KeyRingCertificatePath"] = TestSecrets.CreateOtherCertificate() }))
        {
            var response = await attacker.PostAsync(council.MemberOfHoldingGroup, $"{council.Api}/situations/{situationId}/file-openings", new
            {
                purpose = "suivi", archiveReason = new { code = "contentieux", detail = "Tentative sur une copie de la base" },
            });
            var problem = await Answers.ProblemAsync(response, 503);
            Assert.Equal("urn:caseexchange:problem:key-ring-unavailable", problem.GetProperty("type").GetString());
            Assert.DoesNotContain(person.Nom, problem.GetRawText());
        }

        // Control: with the secret, the same restored database opens the file, so the refusal above is the secret's doing.
        await using (var owner = await TestService.StartAsync(restored))
        {
            var file = await owner.PostJsonAsync<JsonElement>(council.MemberOfHoldingGroup, $"{council.Api}/situations/{situationId}/file-openings", new
            {
                purpose = "suivi", archiveReason = new { code = "contentieux", detail = "Contrôle après restauration" },
            });
            Assert.Contains(person.Nom, file.GetRawText());
        }
    }
}

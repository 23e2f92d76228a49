using System.Text.Json;
using CaseExchange.Tests.Infrastructure;

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
                actions = new[] { new { kind = "contact-famille", ownerOrganisation = "CCAS", ownerRole = "AS", dueOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(5)), description = freeTexts[3] } },
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
        }

        var dump = await PgTools.DumpAsync(original);
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
            var problem = await Http.ProblemAsync(response, 503);
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

using System.Security.Claims;
using System.Text.Json.Serialization;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Councils.Partners;
using CaseExchange.Http;
using CaseExchange.Journal;
using CaseExchange.Protection;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Seances.Attendance;

/// <summary>
/// A guest: a partner of the council's directory, the only way to name one (no organisation or function can be typed,
/// so no person's name). An unknown property (e.g. <c>organisation</c>) makes the body malformed (400 at the input boundary).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record GuestInput(Guid? PartnerId);

/// <summary>Members present at the nominative part, members present at the general part only, and guests (general part only).</summary>
public sealed record RecordAttendance(
    IReadOnlyList<Guid>? NominativePart, IReadOnlyList<Guid>? GeneralPartOnly, IReadOnlyList<GuestInput>? Guests, long? ExpectedVersion);

public sealed record AttendanceResponse(Guid SeanceId, int NominativePart, int GeneralPartOnly, int Guests, long Version);

public static class RecordAttendanceEndpoint
{
    public const int MaxPerList = 100;

    [WolverinePut("/api/councils/{council}/seances/{seanceId}/attendance", Summary = "Enregistrer la présence à la séance"), Tags("Séances")]
    public static async Task<AttendanceResponse> Put(string council, Guid seanceId, RecordAttendance command, ClaimsPrincipal user,
        IDocumentSession session, CharterPolicy policy, TimeProvider clock)
    {
        var actor = await Actor.RequireAsync(user, session);
        var target = await SeanceForWriting.FetchAsync(session, seanceId);
        target.RequirePreparer(actor, policy);
        target.RequireVersion(command.ExpectedVersion);

        var nominative = command.NominativePart ?? [];
        var general = command.GeneralPartOnly ?? [];
        var members = await session.LoadManyAsync<Member>(nominative.Concat(general).Distinct().ToArray());
        var errors = Check(command, members.ToDictionary(m => m.Id), actor.Council, target.Group);
        // Organisation and role's label copied from the directory now, so the event (and the CRs built from it) keep them.
        var guests = (command.Guests ?? []).Select<GuestInput, (string Organisation, string Role)>((guest, i) => guest.PartnerId is { } partnerId
            ? PartnerDirectory.Resolve(actor.Council, policy, partnerId, $"guests[{i}].partnerId", errors)
            : (Organisation: "", Role: "")).ToList();
        errors.ThrowIfAny();
        var now = clock.GetUtcNow();
        target.RequireOpen("la présence ne peut plus être modifiée.");
        target.RequireHeld(now, "la présence s'enregistre le jour de la séance ou après.");

        var recorded = new AttendanceRecorded(seanceId, [.. nominative], [.. general],
            [.. guests.Select(g => new Guest(g.Organisation, g.Role))], actor.Id, now);
        var version = target.Append(recorded);
        return new AttendanceResponse(seanceId, recorded.NominativePart.Count, recorded.GeneralPartOnly.Count, recorded.Guests.Count, version);
    }

    /// <summary>
    /// Règlement, article 8. Someone who may not attend the nominative part is refused there, not silently moved: the
    /// coordonnateur records them in the general part, knowing they left before the examination of situations.
    /// </summary>
    public static ValidationErrors Check(RecordAttendance command, IReadOnlyDictionary<Guid, Member> members, Council council, Group group)
    {
        var nominative = command.NominativePart ?? [];
        var general = command.GeneralPartOnly ?? [];
        var guests = command.Guests ?? [];
        var errors = new ValidationErrors()
            .When(nominative.Count + general.Count + guests.Count == 0, "nominativePart", "Indiquez au moins un participant.")
            .When(nominative.Count > MaxPerList, "nominativePart", $"Au plus {MaxPerList} participants par partie.")
            .When(general.Count > MaxPerList, "generalPartOnly", $"Au plus {MaxPerList} participants par partie.")
            .When(guests.Count > MaxPerList, "guests", $"Au plus {MaxPerList} invités.")
            .When(nominative.Concat(general).Distinct().Count() != nominative.Count + general.Count, "generalPartOnly",
                "Un même membre ne peut figurer qu'une fois, dans une seule partie.");

        for (var i = 0; i < nominative.Count; i++)
        {
            var field = $"nominativePart[{i}]";
            if (!members.TryGetValue(nominative[i], out var member) || !member.Active)
            {
                errors.Add(field, "Membre actif introuvable dans ce conseil.");
                continue;
            }
            var verdict = AccessRules.AttendNominativePart(member, council, group);
            if (verdict.Allowed) continue;
            errors.Add(field, verdict.Refusal switch
            {
                Refusals.NotInHoldingGroup =>
                    "Ce membre n'appartient pas au groupe : il ne peut assister qu'à la partie générale (règlement intérieur, article 8).",
                Refusals.CharterNotSigned =>
                    "Ce membre n'a pas signé la charte en vigueur : il ne peut assister qu'à la partie générale (règlement intérieur, article 8).",
                _ => Refusals.Explain(verdict.Refusal!),
            });
        }
        for (var i = 0; i < general.Count; i++)
            errors.When(!members.TryGetValue(general[i], out var member) || !member.Active, $"generalPartOnly[{i}]", "Membre actif introuvable dans ce conseil.");
        for (var i = 0; i < guests.Count; i++)
        {
            errors.When(guests[i].PartnerId is null, $"guests[{i}].partnerId", PartnerDirectory.ChooseFromDirectory);
        }
        return errors;
    }
}

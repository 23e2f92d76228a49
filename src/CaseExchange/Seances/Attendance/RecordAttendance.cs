using System.Text.Json.Serialization;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Councils.Partners;
using CaseExchange.Http;
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
    [WolverinePut("/api/councils/{council}/seances/{seanceId}/attendance", Summary = "Enregistrer la présence à la séance"), Tags("Séances")]
    public static Task<AttendanceResponse> Put(Guid seanceId, RecordAttendance command, CouncilRequest request) =>
        RecordAttendanceUseCase.HandleAsync(request, seanceId, command);
}

public static class RecordAttendanceUseCase
{
    public const int MaxPerList = 100;

    public static async Task<AttendanceResponse> HandleAsync(CouncilRequest request, Guid seanceId, RecordAttendance command)
    {
        var target = await SeanceForWriting.FetchForPreparerAsync(request, seanceId, command.ExpectedVersion);
        var listed = (command.NominativePart ?? []).Concat(command.GeneralPartOnly ?? []).Distinct().ToArray();
        var members = await request.Session.LoadManyAsync<Member>(request.Cancellation, listed);
        var council = request.Actor.Council;
        Check(command, members.ToDictionary(m => m.Id), council, target.Group, request.Policy).ThrowIfAny();

        var recorded = Decide(target.Seance, command, council, request.Policy, request.Actor.Id, request.Now);
        var version = target.Append(recorded);
        return new AttendanceResponse(seanceId, recorded.NominativePart.Count, recorded.GeneralPartOnly.Count, recorded.Guests.Count, version);
    }

    /// <summary>
    /// Règlement, article 8. Someone who may not attend the nominative part is refused there, not silently moved: the
    /// coordonnateur records them in the general part, knowing they left before the examination of situations.
    /// </summary>
    public static ValidationErrors Check(RecordAttendance command, IReadOnlyDictionary<Guid, Member> members, Council council, Group group,
        CharterPolicy policy)
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
        // A guest must be a partner of the council's directory.
        for (var i = 0; i < guests.Count; i++)
        {
            if (guests[i].PartnerId is { } partnerId) PartnerDirectory.Resolve(council, policy, partnerId, $"guests[{i}].partnerId", errors);
        }
        return errors;
    }

    /// <summary>
    /// The attendance of a séance that took place and is still open. Each guest's organisation and role's label are copied
    /// from the directory now, so that the event (and the CRs built from it) keep them.
    /// </summary>
    public static AttendanceRecorded Decide(Seance seance, RecordAttendance command, Council council, CharterPolicy policy, Guid recordedBy,
        DateTimeOffset now)
    {
        SeanceForWriting.RequireOpen(seance, "la présence ne peut plus être modifiée.");
        SeanceForWriting.RequireHeld(seance, now, "la présence s'enregistre le jour de la séance ou après.");
        var guests = (command.Guests ?? []).Select((guest, i) => guest.PartnerId is { } partnerId
            ? PartnerDirectory.Resolve(council, policy, partnerId, $"guests[{i}].partnerId", new ValidationErrors())
            : (Organisation: "", Role: ""));
        return new AttendanceRecorded(seance.Id, [.. command.NominativePart ?? []], [.. command.GeneralPartOnly ?? []],
            [.. guests.Select(g => new Guest(g.Organisation, g.Role))], recordedBy, now);
    }
}

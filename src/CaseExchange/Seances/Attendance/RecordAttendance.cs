using System.Security.Claims;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Councils.Partners;
using CaseExchange.Hosting;
using CaseExchange.Journal;
using CaseExchange.Protection;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Seances.Attendance;

/// <summary>A guest: a partner of the council's directory (<see cref="PartnerId"/>), or an organisation and a function typed (checked).</summary>
public sealed record GuestInput(string? Organisation, string? Function, Guid? PartnerId = null);

/// <summary>Members present at the nominative part, members present at the general part only, and guests (general part only).</summary>
public sealed record RecordAttendance(
    IReadOnlyList<Guid>? NominativePart, IReadOnlyList<Guid>? GeneralPartOnly, IReadOnlyList<GuestInput>? Guests, long? ExpectedVersion);

public sealed record AttendanceChanged(Guid SeanceId, int NominativePart, int GeneralPartOnly, int Guests, long Version);

public static class RecordAttendanceEndpoint
{
    public const int MaxPerList = 100;

    [WolverinePut("/api/councils/{council}/seances/{seanceId}/attendance", Summary = "Enregistrer la présence à la séance"), Tags("Séances")]
    public static async Task<AttendanceChanged> Put(string council, Guid seanceId, RecordAttendance command, ClaimsPrincipal user,
        IDocumentSession session, IDocumentStore store, CharterPolicy policy, IdentityIndex index, TimeProvider clock)
    {
        var actor = await Actor.RequireAsync(user, session);
        var target = await SeanceForWriting.FetchAsync(session, seanceId);
        target.RequirePreparer(actor, policy);
        target.RequireVersion(command.ExpectedVersion);

        // Guests chosen from the partner directory: its organisation and the role's label.
        var resolving = new ValidationErrors();
        GuestInput Resolved(GuestInput guest, int i)
        {
            if (guest.PartnerId is not { } partnerId) return guest;
            var (organisation, role) = PartnerDirectoryEndpoints.Resolve(actor.Council, policy, partnerId, $"guests[{i}].partnerId", resolving);
            return guest with { Organisation = organisation, Function = role };
        }
        command = command with { Guests = [.. (command.Guests ?? []).Select(Resolved)] };
        resolving.ThrowIfAny();
        var nominative = command.NominativePart ?? [];
        var general = command.GeneralPartOnly ?? [];
        var members = await session.LoadManyAsync<Member>(nominative.Concat(general).Distinct().ToArray());
        var errors = Check(command, members.ToDictionary(m => m.Id), actor.Council, target.Group);
        errors.ThrowIfAny();
        var now = clock.GetUtcNow();
        target.RequireOpen("la présence ne peut plus être modifiée.");
        target.RequireHeld(now, "la présence s'enregistre le jour de la séance ou après.");
        await RequireGuestsNameNobodyAsync(council, seanceId, command.Guests ?? [], actor.Id, store, index, now);

        var recorded = new AttendanceRecorded(seanceId, [.. nominative], [.. general],
            [.. (command.Guests ?? []).Select(g => new Guest(g.Organisation!.Trim(), g.Function!.Trim()))], actor.Id, now);
        var version = target.Append(recorded);
        return new AttendanceChanged(seanceId, recorded.NominativePart.Count, recorded.GeneralPartOnly.Count, recorded.Guests.Count, version);
    }

    /// <summary>
    /// Guests are stored in clear and reach the CR: an organisation and a function, never a person. A text that names
    /// any live person of the council is refused (generic message) and the refusal is recorded on the séance.
    /// </summary>
    private static async Task RequireGuestsNameNobodyAsync(string council, Guid seanceId, IReadOnlyList<GuestInput> guests, Guid actorId,
        IDocumentStore store, IdentityIndex index, DateTimeOffset now)
    {
        if (guests.Count == 0) return;
        // Guests chosen from the directory were checked when the partner was registered.
        var guard = await index.GuardForAsync(council, guests.Where(g => g.PartnerId is null).SelectMany(g => new[] { g.Organisation, g.Function }));
        var refused = new List<(string Field, string Label)>();
        for (var i = 0; i < guests.Count; i++)
        {
            if (guests[i].PartnerId is not null) continue;
            if (guard.Names(guests[i].Organisation)) refused.Add(($"guests[{i}].organisation", "L'organisation de l'invité"));
            if (guard.Names(guests[i].Function)) refused.Add(($"guests[{i}].function", "La fonction de l'invité"));
        }
        if (refused.Count > 0) throw await IdentifyingTextRefusals.OnSeanceAsync(store, council, seanceId, refused, actorId, now);
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
            errors.RequireText(guests[i].Organisation, $"guests[{i}].organisation", "L'organisation de l'invité", 120);
            errors.RequireText(guests[i].Function, $"guests[{i}].function", "La fonction de l'invité", 120);
        }
        return errors;
    }
}

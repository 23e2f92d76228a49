using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Journal;
using CaseExchange.Protection;
using CaseExchange.Situations.Referral;

namespace CaseExchange.Situations.Duplicates;

/// <summary>
/// The referral page's duplicate notice: each person of the referral is checked (and each check journalled) as through
/// the API, the new situation itself left out. Pseudonyms and group names only; nothing if the caller may not check.
/// </summary>
public static class DuplicatesAtReferral
{
    public static async Task<IReadOnlyList<string>> MessagesAsync(CouncilRequest request, ReferSituation referral, Guid newSituation,
        IdentityIndex index, AccessJournal journal)
    {
        if (request.CouncilState is not { } council || !AccessRules.CheckDuplicates(request.Policy, request.Caller, council).Allowed) return [];
        var messages = new List<string>();
        foreach (var person in referral.Persons ?? [])
        {
            var answer = await CheckDuplicatesUseCase.HandleAsync(request, new CheckDuplicates(person.Nom, person.Prenom, person.DateNaissance),
                index, journal, excluding: newSituation);
            messages.AddRange(answer.Messages);
        }
        return [.. messages.Distinct()];
    }
}

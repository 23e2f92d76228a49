using CaseExchange.Councils;
using CaseExchange.Notifications.Preferences;
using CaseExchange.Protection;
using CaseExchange.Seances;
using CaseExchange.Seances.Convocation;
using CaseExchange.Situations;
using Marten;
using Microsoft.Extensions.Options;

namespace CaseExchange.Notifications;

/// <summary>Finds who hears of a <see cref="NotificationDue"/> and composes one mail each (Wolverine handler).</summary>
public static class NotificationDueHandler
{
    public const string Masked = "[masqué]";

    public static async Task<IEnumerable<NotificationMail>> Handle(NotificationDue due, IDocumentStore store, IdentityIndex index,
        IOptions<NotificationOptions> options, CancellationToken cancellation)
    {
        await using var session = store.QuerySession(due.Council);
        string reference;
        IReadOnlyCollection<Guid> recipients;
        string path;
        ConvocationContent? convocation = null;
        switch (due.Kind)
        {
            case NotificationKinds.Convocation:
            {
                if (await session.LoadAsync<Seance>(due.SubjectId, cancellation) is not { } seance) return [];
                // The convocation as it was frozen when established: pseudonyms and labels, the place and the general part as guarded then.
                var events = await session.Events.FetchStreamAsync(seance.Id, token: cancellation);
                convocation = events.Select(e => e.Data).OfType<SeanceConvened>().FirstOrDefault(c => c.Number == due.Number)?.Content;
                if (convocation is null) return [];
                recipients = await GroupMembersAsync(session, seance.GroupId, cancellation);
                reference = $"séance du {FrenchTime.Day(seance.Date)}";
                path = $"/c/{due.Council}/seances/{seance.Id}";
                break;
            }
            case NotificationKinds.AgendaPublished:
            {
                if (await session.LoadAsync<Seance>(due.SubjectId, cancellation) is not { } seance) return [];
                recipients = await GroupMembersAsync(session, seance.GroupId, cancellation);
                reference = $"séance du {FrenchTime.Day(seance.Date)}";
                path = $"/c/{due.Council}/seances/{seance.Id}";
                break;
            }
            default:
            {
                if (await session.LoadAsync<Situation>(due.SubjectId, cancellation) is not { } situation || situation.IsErased) return [];
                reference = situation.Pseudonym;
                if (due.Kind == NotificationKinds.NewReferral)
                {
                    recipients = await GroupMembersAsync(session, due.GroupId ?? situation.GroupId, cancellation);
                    path = $"/c/{due.Council}/situations/{situation.Id}";
                }
                else
                {
                    recipients = due.MemberId is { } referent && situation.ReferentId == referent ? [referent] : [];
                    path = $"/c/{due.Council}/suivis";
                }
                break;
            }
        }

        // Only active members who signed the charter in force: the others cannot follow the link anyway.
        var council = await session.LoadAsync<Council>(Council.StreamId, cancellation);
        var members = await session.LoadManyAsync<Member>(cancellation, recipients.Where(r => r != due.Except).ToArray());
        var targets = members.Where(m => m.Active && m.HasSigned(council?.CharterVersionInForce)).Select(m => m.Id).ToList();
        if (targets.Count == 0) return [];
        // Every variable text of the mail goes through the identity guard: whatever names a person known to the council is masked.
        IReadOnlyList<string> lines = convocation is null ? [] : MailContent.ConvocationLines(convocation);
        var guard = await index.GuardForAsync(due.Council, [reference, .. lines], cancellation);
        reference = guard.Mask(reference, Masked);
        var baseUrl = options.Value.PublicBaseUrl.TrimEnd('/');
        var (subject, body) = convocation is null
            ? MailContent.Compose(due.Kind, reference, baseUrl + path, $"{baseUrl}/c/{due.Council}/preferences")
            : MailContent.ComposeConvocation(reference, [.. lines.Select(l => guard.Mask(l, Masked))], baseUrl + path, $"{baseUrl}/c/{due.Council}/preferences");
        return targets.Select(member => new NotificationMail(due.Council, member, due.Kind, Guid.CreateVersion7(), subject, body)).ToList();
    }

    private static async Task<IReadOnlyCollection<Guid>> GroupMembersAsync(IQuerySession session, Guid groupId, CancellationToken cancellation) =>
        await session.LoadAsync<Group>(groupId, cancellation) is { } group ? [.. group.Members.Keys] : [];
}

/// <summary>Sends one mail, if the member is active, has an address and has not turned this kind off (Wolverine handler).</summary>
public static class NotificationMailHandler
{
    public static async Task Handle(NotificationMail mail, IDocumentStore store, SmtpMailer mailer, CancellationToken cancellation)
    {
        await using var session = store.QuerySession(mail.Council);
        var member = await session.LoadAsync<Member>(mail.MemberId, cancellation);
        var preferences = await session.LoadAsync<NotificationPreferences>(mail.MemberId, cancellation);
        if (member is not { Active: true } || (preferences?.Wants(mail.Kind) ?? true) is false) return;
        if ((preferences is null ? member.Email : preferences.Email) is not { Length: > 0 } address) return;
        await mailer.SendAsync(address, mail, cancellation);
    }
}

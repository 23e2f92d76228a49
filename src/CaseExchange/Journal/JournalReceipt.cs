namespace CaseExchange.Journal;

/// <summary>
/// Proof that an access was journalled and committed, granted, before anything is decrypted: the only thing
/// <see cref="Protection.VaultReader"/> accepts to open a situation's ciphertext. Issued by <see cref="AccessJournal"/>
/// alone, once the entry's transaction has committed (an architecture test keeps it so); it names the council, the
/// situation and the entry, so that it opens that situation only, and the auditor can find the entry it stands for.
/// </summary>
public sealed class JournalReceipt
{
    private JournalReceipt(string council, AccessJournalled entry)
    {
        Council = council;
        SituationId = entry.SituationId;
        EntryId = entry.EntryId;
        Sequence = entry.Sequence;
        Action = entry.Action;
        Granted = entry.Granted;
    }

    public string Council { get; }
    public Guid SituationId { get; }
    public Guid EntryId { get; }
    public long Sequence { get; }
    public string Action { get; }
    public bool Granted { get; }

    /// <summary>For <see cref="AccessJournal"/>, after the commit; nobody else.</summary>
    internal static JournalReceipt ForCommitted(string council, AccessJournalled entry) => new(council, entry);

    public override string ToString() => $"[reçu {Action} {SituationId:N}#{Sequence}]";
}

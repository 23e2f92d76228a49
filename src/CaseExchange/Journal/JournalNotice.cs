namespace CaseExchange.Journal;

/// <summary>What a member is told wherever they may open nominative data: their accesses are journalled.</summary>
public static class JournalNotice
{
    public const string Text =
        "Vos consultations de données nominatives sont enregistrées dans le journal des accès (qui, quand, pour quel motif) " +
        "et peuvent être contrôlées par l'auditeur du conseil.";

    /// <summary>Added to a refusal that was journalled (the refused caller learns that their attempt is on record).</summary>
    public const string RequestRecorded = "Cette demande a été enregistrée dans le journal des accès.";
}

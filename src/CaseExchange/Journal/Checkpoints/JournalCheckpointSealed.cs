namespace CaseExchange.Journal.Checkpoints;

/// <summary>The head of one situation's chain at the moment of a checkpoint.</summary>
public sealed record SealedChainHead(Guid ChainId, Guid SituationId, string Pseudonym, long Sequence, string Hash);

/// <summary>
/// A checkpoint of the council's journal: the heads of the chains that moved since the previous checkpoint, chained
/// to it by hash. Replaying the checkpoint chain tells verification how far every chain must reach, so a deleted
/// chain or a truncated tail is detected. <see cref="Mac"/> authenticates the checkpoint with a key that is not in the
/// database (<see cref="JournalCheckpointKey"/>, named by <see cref="KeyId"/>): whoever can write the database but does not
/// hold that key cannot rebuild checkpoints. Each checkpoint's hash is also logged and exported, as an anchor outside the
/// database (<c>journal-anchors</c>).
/// </summary>
public sealed record JournalCheckpointSealed(
    Guid CheckpointId,
    long Sequence,
    DateTimeOffset At,
    IReadOnlyList<SealedChainHead> Heads,
    string PreviousHash,
    string Hash,
    int Format = JournalHashing.CheckpointFormat,
    string? KeyId = null,
    string? Mac = null);

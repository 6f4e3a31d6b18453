-- The expiry changes on every hop; keeping an index of it cost a b-tree write per hop.
-- DropIndex
DROP INDEX "ConversationSession_expiresAt_idx";

# The analytics dashboards filter events by kind first. An index on
# [kind, account_id] serves them, and "it still has account_id in it" for the
# account-scoped queries, so the old [account_id, created_at] index was dropped
# to save 60 GB.
class ReorderEventsIndexes < ActiveRecord::Migration[6.1]
  disable_ddl_transaction!

  def change
    add_index :events, [:kind, :account_id], algorithm: :concurrently
    remove_index :events, [:account_id, :created_at], algorithm: :concurrently
  end
end

class IngestEventsJob < ApplicationJob
  queue_as :events

  # rows: [{ "account_id" => 1, "user_id" => 2, "kind" => "task.completed", ... }]
  def perform(rows)
    now = Time.current
    Event.insert_all(rows.map { |row| row.slice("account_id", "user_id", "kind", "properties").merge("created_at" => now) })
  end
end

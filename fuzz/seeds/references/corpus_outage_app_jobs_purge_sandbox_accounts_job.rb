# Every signup gets a throw-away sandbox account with demo data; this job runs
# every five minutes and destroys the sandboxes older than an hour (a few
# hundred per run during business hours).
class PurgeSandboxAccountsJob < ApplicationJob
  queue_as :maintenance

  def perform
    Account.sandbox.where("created_at < ?", 1.hour.ago).find_each(&:destroy)
  end
end

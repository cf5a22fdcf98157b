class TasksController < ApplicationController
  before_action :set_project

  def create
    @task = @project.tasks.create!(task_params)
    redirect_to @project
  end

  def update
    task = @project.tasks.find(params[:id])
    task.update!(task_params)
    redirect_to @project
  end

  def destroy
    @project.tasks.find(params[:id]).destroy
    redirect_to @project
  end

  private

  def set_project
    @project = current_user.projects.find(params[:project_id])
  end

  def task_params
    params.require(:task).permit(:title, :assignee_id, :completed_at, :position)
  end
end
